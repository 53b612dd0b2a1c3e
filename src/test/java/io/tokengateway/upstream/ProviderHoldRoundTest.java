package io.tokengateway.upstream;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;
import static io.tokengateway.flow.testkit.StepAssertions.responseOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.UpstreamOutcome;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.tokengateway.limit.RateLimitStep;
import io.tokengateway.redis.RedisRound;
import io.tokengateway.redis.RedisScripts;
import io.vertx.core.buffer.Buffer;

/**
 * The hold in a real admission round, before the rate limit as in the pipeline: a held merchant's request ends
 * the round at once, so it uses none of the merchant's budget; a provider 429 sets the hold in the settlement
 * round, expiring on Redis's clock. Across two gateway processes: {@code ProviderHoldReplicasIT}.
 */
@QuarkusTest
class ProviderHoldRoundTest {

    private static final String MERCHANT = "keyless-shop";
    private static final String HOLD = "tg:hold:{" + MERCHANT + "}";
    private static final String RATE = "tg:rate:{" + MERCHANT + "}";

    @Inject
    RedisScripts scripts;

    @Inject
    RedisDataSource redisData;

    @Inject
    ProviderHoldStep hold;

    @Inject
    RateLimitStep rateLimit;

    @Inject
    io.tokengateway.policy.LivePolicy policy;

    @BeforeEach
    void noHold() {
        redisData.key().del(HOLD, RATE);
    }

    private RedisRound round() {
        return new RedisRound(scripts, List.of(hold, rateLimit));
    }

    /** A read of the merchant under the policy in force, as the policy step establishes it. */
    private Exchange read() {
        return ExchangeBuilder.readToken()
                .merchant(ExchangeBuilder.merchant(MERCHANT))
                .fact(io.tokengateway.limit.LimitPolicies.FACT, policy.current().limits())
                .build();
    }

    @Test
    void aHeldMerchantsRequestEndsTheRoundBeforeItsBudgetIsUsed() {
        redisData.value(String.class).psetex(HOLD, 2_900, "1");
        Exchange exchange = read();
        assertThat(round().onRequest(exchange)).continues();
        var reject = assertThat(hold.onRequest(exchange)).rejectsWith(GatewayError.UPSTREAM_RATE_LIMITED);
        // the time left, rounded up: 3 s, or less if the machine stalled between the SET and the round
        long retryAfter = Long.parseLong(reject.headers().get("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 3, "Retry-After " + retryAfter);
        assertFalse(redisData.key().exists(RATE), "the rate limit's part did not run");

        redisData.key().del(HOLD);
        Exchange free = read();
        assertThat(round().onRequest(free)).continues();
        assertThat(hold.onRequest(free)).continues();
        assertTrue(redisData.key().exists(RATE), "not held: the rate limit's part ran");
    }

    @Test
    void aProvider429SetsTheHoldInTheSettlementRound() {
        RedisRound round = round();
        Exchange exchange = read();
        assertThat(round.onRequest(exchange)).continues();
        assertThat(hold.onRequest(exchange)).continues();
        exchange.upstreamOutcome(
                UpstreamOutcome.answered(429, false), Duration.ofMillis(5).toNanos());
        responseOf(
                round.onResponse(exchange, new GatewayResponse(429, Map.of("Retry-After", "2"), Buffer.buffer("{}"))));
        long pttl = redisData.key().pttl(HOLD);
        assertTrue(pttl > 1_000 && pttl <= 2_000, "PTTL " + pttl);

        Exchange next = read();
        assertThat(round().onRequest(next)).continues();
        assertThat(hold.onRequest(next)).rejectsWith(GatewayError.UPSTREAM_RATE_LIMITED);
    }

    @Test
    void aLater429WithAShorterRetryAfterDoesNotCutTheHoldShort() {
        settleProvider429("30");
        long first = redisData.key().pttl(HOLD);
        assertTrue(first > 20_000 && first <= 30_000, "PTTL " + first);

        settleProvider429(null); // a request already on its way got a 429 without Retry-After: 1 s
        long after = redisData.key().pttl(HOLD);
        assertTrue(after > 20_000 && after <= 30_000, "the 30 s hold stands: PTTL " + after);

        redisData.value(String.class).psetex(HOLD, 1_000, "1");
        settleProvider429("30");
        long extended = redisData.key().pttl(HOLD);
        assertTrue(extended > 20_000, "a longer Retry-After extends a shorter hold: PTTL " + extended);
    }

    private void settleProvider429(String retryAfter) {
        RedisRound round = round();
        Exchange exchange = read();
        assertThat(round.onRequest(exchange)).continues();
        exchange.upstreamOutcome(
                UpstreamOutcome.answered(429, false), Duration.ofMillis(5).toNanos());
        Map<String, String> headers = retryAfter == null ? Map.of() : Map.of("Retry-After", retryAfter);
        responseOf(round.onResponse(exchange, new GatewayResponse(429, headers, Buffer.buffer("{}"))));
    }
}
