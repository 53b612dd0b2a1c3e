package io.tokengateway.limit;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;
import static io.tokengateway.flow.testkit.StepAssertions.responseOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.StepResult;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.tokengateway.flow.testkit.TestConfig;
import io.tokengateway.flow.testkit.TestMerchants;
import io.tokengateway.redis.RedisFaultException;
import io.tokengateway.redis.RedisUnavailableException;
import io.vertx.core.buffer.Buffer;

class RateLimitStepTest {

    /** The shared limiter, answering what the test says instead of Redis. */
    static final class FakeSharedLimiter extends RedisRateLimiter {
        Supplier<Uni<RateDecision>> answer;

        FakeSharedLimiter() {
            super(null);
        }

        @Override
        public Uni<RateDecision> check(String merchantId, LimitPolicy policy) {
            return answer.get();
        }
    }

    private final FakeSharedLimiter shared = new FakeSharedLimiter();

    private RateLimitStep step(String onRedisFailure) {
        var config = TestConfig.gateway(TestMerchants.with(
                TestMerchants.merchant("busy-merchant", "http://127.0.0.1:1"),
                "merchants.busy-merchant.rate-limit.per-second",
                "1",
                "merchants.busy-merchant.rate-limit.burst",
                "2",
                "rate-limit.on-redis-failure",
                onRedisFailure));
        return new RateLimitStep(
                shared,
                new LocalRateLimiter(),
                new LimitPolicies(config),
                new LimitMetrics(new SimpleMeterRegistry()),
                config);
    }

    private static Exchange read() {
        return ExchangeBuilder.readToken()
                .merchant(ExchangeBuilder.merchant("busy-merchant"))
                .build();
    }

    @Test
    void withinBudgetContinuesAndTheAnswerCarriesTheBudget() {
        shared.answer = () -> Uni.createFrom().item(new RateDecision(true, 1, 0, 1_000_000));
        RateLimitStep step = step("local");
        Exchange exchange = read();
        assertThat(step.onRequest(exchange)).continues();
        GatewayResponse out =
                responseOf(step.onResponse(exchange, new GatewayResponse(200, Map.of(), Buffer.buffer())));
        assertEquals("\"merchant\";r=1;t=1", out.headers().get("RateLimit"));
        assertEquals("\"merchant\";q=1;w=1;burst=2", out.headers().get("RateLimit-Policy"));
    }

    @Test
    void overBudgetIs429WithRetryAfter() {
        shared.answer = () -> Uni.createFrom().item(new RateDecision(false, 0, 1_500_000, 2_000_000));
        StepResult.Reject reject = assertThat(step("local").onRequest(read())).rejectsWith(GatewayError.RATE_LIMITED);
        assertEquals("2", reject.headers().get("Retry-After"));
    }

    @Test
    void anUnavailableRedisFollowsThePolicy() {
        shared.answer = () -> Uni.createFrom().failure(new RedisUnavailableException(new java.net.ConnectException()));
        assertThat(step("local").onRequest(read())).continues();
        assertThat(step("open").onRequest(read())).continues();
        assertThat(step("closed").onRequest(read())).rejectsWith(GatewayError.DEPENDENCY_UNAVAILABLE);
    }

    @Test
    void theLocalFallbackStillLimits() {
        shared.answer = () -> Uni.createFrom().failure(new RedisUnavailableException(new java.net.ConnectException()));
        RateLimitStep step = step("local");
        assertThat(step.onRequest(read())).continues();
        assertThat(step.onRequest(read())).continues();
        assertThat(step.onRequest(read())).rejectsWith(GatewayError.RATE_LIMITED);
    }

    @Test
    void aRedisFaultIs500WhateverThePolicy() {
        shared.answer = () -> Uni.createFrom().failure(new RedisFaultException("rate_limit.lua", "WRONGTYPE"));
        for (String policy : new String[] {"local", "open", "closed"}) {
            assertThat(step(policy).onRequest(read())).rejectsWith(GatewayError.INTERNAL_ERROR);
        }
    }

    @Test
    void theProvidersOwnRateLimitHeadersAreNotOverwritten() {
        shared.answer = () -> Uni.createFrom().item(new RateDecision(true, 1, 0, 1_000_000));
        RateLimitStep step = step("local");
        Exchange exchange = read();
        assertThat(step.onRequest(exchange)).continues();
        GatewayResponse out = responseOf(
                step.onResponse(exchange, new GatewayResponse(200, Map.of("RateLimit", "provider"), Buffer.buffer())));
        assertEquals("provider", out.headers().get("RateLimit"));
        assertFalse(out.hasHeader("RateLimit-Policy"));
    }
}
