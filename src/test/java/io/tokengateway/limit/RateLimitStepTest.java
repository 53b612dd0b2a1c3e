package io.tokengateway.limit;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;
import static io.tokengateway.flow.testkit.StepAssertions.responseOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.StepResult;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.tokengateway.flow.testkit.Rounds;
import io.tokengateway.flow.testkit.TestConfig;
import io.tokengateway.flow.testkit.TestMerchants;
import io.tokengateway.redis.RedisFaultException;
import io.tokengateway.redis.RedisUnavailableException;
import io.vertx.core.buffer.Buffer;

class RateLimitStepTest {

    private static final List<Long> ALLOWED = List.of(1L, 1L, 0L, 1_000_000L);

    private static final java.util.Map<String, String> BUSY = TestMerchants.with(
            TestMerchants.merchant("busy-merchant", "http://127.0.0.1:1"),
            "merchants.busy-merchant.rate-limit.per-second",
            "1",
            "merchants.busy-merchant.rate-limit.burst",
            "2");

    private RateLimitStep step(String onRedisFailure) {
        var config = TestConfig.gateway(TestMerchants.with(BUSY, "rate-limit.on-redis-failure", onRedisFailure));
        return new RateLimitStep(
                new RedisRateLimiter(), new LocalRateLimiter(), new LimitMetrics(new SimpleMeterRegistry()), config);
    }

    private static Exchange read() {
        return ExchangeBuilder.readToken()
                .merchant(ExchangeBuilder.merchant("busy-merchant"))
                .fact(LimitPolicies.FACT, TestConfig.limits(BUSY))
                .build();
    }

    /** The step's decision for a request whose admission round answered {@code reply} (allowed, remaining, retry after, reset). */
    private static Uni<StepResult> decided(RateLimitStep step, Exchange exchange, List<Long> reply) {
        Rounds.replied(exchange, step, reply);
        return step.onRequest(exchange);
    }

    private static Uni<StepResult> roundFailed(RateLimitStep step, RuntimeException failure) {
        Exchange exchange = read();
        Rounds.failed(exchange, failure, step);
        return step.onRequest(exchange);
    }

    @Test
    void withinBudgetContinuesAndTheAnswerCarriesTheBudget() {
        RateLimitStep step = step("local");
        Exchange exchange = read();
        assertThat(decided(step, exchange, ALLOWED)).continues();
        GatewayResponse out =
                responseOf(step.onResponse(exchange, new GatewayResponse(200, Map.of(), Buffer.buffer())));
        assertEquals("\"merchant\";r=1;t=1", out.headers().get("RateLimit"));
        assertEquals("\"merchant\";q=1;w=1;burst=2", out.headers().get("RateLimit-Policy"));
    }

    @Test
    void overBudgetIs429WithRetryAfter() {
        StepResult.Reject reject = assertThat(decided(step("local"), read(), List.of(0L, 0L, 1_500_000L, 2_000_000L)))
                .rejectsWith(GatewayError.RATE_LIMITED);
        assertEquals("2", reject.headers().get("Retry-After"));
    }

    @Test
    void theCheckAsksForTheMerchantsBudgetAndSaysWhetherARefusalEndsTheRound() {
        var limits = TestConfig.limits(TestMerchants.with(
                TestMerchants.merchant("busy-merchant", "http://127.0.0.1:1"),
                "merchants.busy-merchant.rate-limit.per-second",
                "4",
                "merchants.busy-merchant.rate-limit.burst",
                "2",
                "merchants.busy-merchant.shadow",
                "true"));
        var check = new RedisRateLimiter().check("busy-merchant", limits.of("busy-merchant"));
        assertEquals(List.of("tg:rate:{busy-merchant}"), check.keys());
        assertEquals(List.of("250000", "2", "1"), check.args(), "interval in µs, burst, shadow mode");
        assertEquals("0", step("local").admission(read()).orElseThrow().args().get(2));
    }

    @Test
    void anUnavailableRedisFollowsThePolicy() {
        RedisUnavailableException down = new RedisUnavailableException(new java.net.ConnectException());
        assertThat(roundFailed(step("local"), down)).continues();
        assertThat(roundFailed(step("open"), down)).continues();
        assertThat(roundFailed(step("closed"), down)).rejectsWith(GatewayError.DEPENDENCY_UNAVAILABLE);
    }

    @Test
    void theLocalFallbackStillLimits() {
        RedisUnavailableException down = new RedisUnavailableException(new java.net.ConnectException());
        RateLimitStep step = step("local");
        assertThat(roundFailed(step, down)).continues();
        assertThat(roundFailed(step, down)).continues();
        assertThat(roundFailed(step, down)).rejectsWith(GatewayError.RATE_LIMITED);
    }

    @Test
    void aRedisFaultIs500WhateverThePolicy() {
        for (String policy : new String[] {"local", "open", "closed"}) {
            assertThat(roundFailed(step(policy), new RedisFaultException("rate_limit.lua", "WRONGTYPE")))
                    .rejectsWith(GatewayError.INTERNAL_ERROR);
        }
    }

    @Test
    void theProvidersOwnRateLimitHeadersAreNotOverwritten() {
        RateLimitStep step = step("local");
        Exchange exchange = read();
        assertThat(decided(step, exchange, ALLOWED)).continues();
        GatewayResponse out = responseOf(
                step.onResponse(exchange, new GatewayResponse(200, Map.of("RateLimit", "provider"), Buffer.buffer())));
        assertEquals("provider", out.headers().get("RateLimit"));
        assertFalse(out.hasHeader("RateLimit-Policy"));
    }
}
