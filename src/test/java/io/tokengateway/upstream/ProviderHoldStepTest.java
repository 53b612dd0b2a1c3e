package io.tokengateway.upstream;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.ScriptCall;
import io.tokengateway.flow.StepResult;
import io.tokengateway.flow.UpstreamOutcome;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.tokengateway.flow.testkit.Rounds;
import io.tokengateway.redis.RedisFaultException;
import io.tokengateway.redis.RedisUnavailableException;
import io.vertx.core.buffer.Buffer;

class ProviderHoldStepTest {

    private static final Instant NOW = Instant.parse("2026-12-06T01:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProviderHoldStep step = new ProviderHoldStep(registry, Clock.fixed(NOW, ZoneOffset.UTC));

    private static Exchange read(String merchantId) {
        return ExchangeBuilder.readToken()
                .merchant(ExchangeBuilder.merchant(merchantId))
                .build();
    }

    private double count(String merchantId, String event) {
        var counter = registry.find("gateway.provider_holds")
                .tags("merchant", merchantId, "event", event)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theHoldIsReadFromTheMerchantsOwnHashTag() {
        ScriptCall check = step.admission(read("m1")).orElseThrow();
        assertEquals(ProviderHoldStep.CHECK, check.part());
        assertEquals(List.of("tg:hold:{m1}"), check.keys());
    }

    @Test
    void aMerchantNotHeldGoesOn() {
        Exchange exchange = read("m1");
        Rounds.replied(exchange, step, 0L);
        assertThat(step.onRequest(exchange)).continues();
        assertEquals(0, count("m1", "rejected"));
    }

    @Test
    void aHeldMerchantIs429WithTheTimeLeftRoundedUp() {
        Exchange exchange = read("m1");
        Rounds.replied(exchange, step, 2_100L);
        StepResult.Reject reject = assertThat(step.onRequest(exchange)).rejectsWith(GatewayError.UPSTREAM_RATE_LIMITED);
        assertEquals("3", reject.headers().get("Retry-After"));
        assertEquals(1, count("m1", "rejected"));

        Exchange almostOver = read("m1");
        Rounds.replied(almostOver, step, 1L);
        assertEquals(
                "1",
                assertThat(step.onRequest(almostOver))
                        .rejectsWith(GatewayError.UPSTREAM_RATE_LIMITED)
                        .headers()
                        .get("Retry-After"));
    }

    @Test
    void theHoldIsAdvisoryWhenRedisIsUnavailable() {
        Exchange exchange = read("m1");
        Rounds.failed(exchange, new RedisUnavailableException(new java.net.ConnectException()), step);
        assertThat(step.onRequest(exchange)).continues();
        assertEquals(1, count("m1", "unavailable"));
    }

    @Test
    void aRedisFaultIs500() {
        Exchange exchange = read("m1");
        Rounds.failed(exchange, new RedisFaultException("provider_hold.lua", "WRONGTYPE"), step);
        assertThat(step.onRequest(exchange)).rejectsWith(GatewayError.INTERNAL_ERROR);
    }

    private Optional<ScriptCall> afterProvider(int status, Map<String, String> headers) {
        Exchange exchange = read("m1");
        exchange.upstreamOutcome(UpstreamOutcome.answered(status, false), 1);
        return step.settlement(exchange, new GatewayResponse(status, headers, Buffer.buffer()));
    }

    private long heldMillis(Map<String, String> headers) {
        ScriptCall set = afterProvider(429, headers).orElseThrow();
        assertEquals(ProviderHoldStep.SET, set.part());
        assertEquals(List.of("tg:hold:{m1}"), set.keys());
        return Long.parseLong(set.args().get(0));
    }

    @Test
    void aProvider429HoldsTheMerchantForItsRetryAfter() {
        assertEquals(3_000, heldMillis(Map.of("Retry-After", "3")));
        assertEquals(3_000, heldMillis(Map.of("retry-after", " 3 ")), "header names are case-insensitive");
        assertEquals(10_000, heldMillis(Map.of("Retry-After", "Sun, 06 Dec 2026 01:00:10 GMT")), "an HTTP-date");
        assertEquals(5_000, heldMillis(Map.of("Retry-After", "0000005")), "leading zeros are not a long number");
        assertEquals(10_000, heldMillis(Map.of("Retry-After", "Sunday, 06-Dec-26 01:00:10 GMT")), "RFC 850 form");
        assertEquals(10_000, heldMillis(Map.of("Retry-After", "Sun Dec  6 01:00:10 2026")), "asctime form");
    }

    @Test
    void withoutAUsableRetryAfterTheHoldIsOneSecondAndNeverOverAMinute() {
        assertEquals(1_000, heldMillis(Map.of()));
        assertEquals(1_000, heldMillis(Map.of("Retry-After", "soon")));
        assertEquals(1_000, heldMillis(Map.of("Retry-After", "0")));
        assertEquals(1_000, heldMillis(Map.of("Retry-After", "Sun, 06 Dec 2026 00:59:00 GMT")), "a date past");
        assertEquals(60_000, heldMillis(Map.of("Retry-After", "100000")));
        assertEquals(60_000, heldMillis(Map.of("Retry-After", "99999999999999999999999")));
        assertEquals(60_000, heldMillis(Map.of("Retry-After", "Mon, 07 Dec 2026 01:00:00 GMT")));
    }

    @Test
    void onlyTheProvidersOwn429Holds() {
        assertTrue(afterProvider(200, Map.of()).isEmpty());
        assertTrue(afterProvider(503, Map.of("Retry-After", "3")).isEmpty());
        Exchange ownLimit = read("m1");
        assertTrue(
                step.settlement(ownLimit, new GatewayResponse(429, Map.of("Retry-After", "3"), Buffer.buffer()))
                        .isEmpty(),
                "the gateway's own RATE_LIMITED never holds the merchant");
    }

    @Test
    void aHoldSetOrLostIsCounted() {
        Exchange exchange = read("m1");
        step.settled(exchange, new io.tokengateway.flow.PartOutcome.Replied(Rounds.reply(1L)));
        step.settled(exchange, new io.tokengateway.flow.PartOutcome.Failed(new IllegalStateException()));
        step.settled(
                exchange,
                new io.tokengateway.flow.PartOutcome.Failed(
                        new io.tokengateway.redis.RedisFaultException("round.lua", "NOPERM")));
        assertEquals(1, count("m1", "set"));
        assertEquals(1, count("m1", "unavailable"));
        assertEquals(1, count("m1", "fault"), "a fault is a bug to fix, not counted as an outage");
    }
}
