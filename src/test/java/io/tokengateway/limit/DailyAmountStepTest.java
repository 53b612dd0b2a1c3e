package io.tokengateway.limit;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.digest.Sha256;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.ScriptCall;
import io.tokengateway.flow.ShadowRejections;
import io.tokengateway.flow.StepResult;
import io.tokengateway.flow.UpstreamOutcome;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.tokengateway.flow.testkit.Rounds;
import io.tokengateway.flow.testkit.TestConfig;
import io.tokengateway.flow.testkit.TestMerchants;
import io.tokengateway.order.Order;
import io.tokengateway.redis.RedisFaultException;
import io.tokengateway.redis.RedisUnavailableException;
import io.vertx.core.buffer.Buffer;

class DailyAmountStepTest {

    private final DailyAmountStore store = new DailyAmountStore();
    private static final Map<String, String> PROPERTIES = TestMerchants.with(
            TestMerchants.merchant("limited-merchant", "http://127.0.0.1:1"),
            "merchants.limited-merchant.order-limit.daily-amount",
            "1000",
            "merchants.shadow-merchant.base-url",
            "http://127.0.0.1:1",
            "merchants.shadow-merchant.username",
            "u",
            "merchants.shadow-merchant.password",
            "p",
            "merchants.shadow-merchant.order-limit.daily-amount",
            "1000",
            "merchants.shadow-merchant.shadow",
            "true");
    private static final LimitPolicies LIMITS = TestConfig.limits(PROPERTIES);
    private final GatewayConfig config = TestConfig.gateway(PROPERTIES);
    private final DailyAmountStep step =
            new DailyAmountStep(store, new LimitMetrics(new SimpleMeterRegistry()), config);

    private static Exchange order(String merchant, long amount) {
        return ExchangeBuilder.createOrder("{}")
                .idempotencyKey("key-1")
                .merchant(ExchangeBuilder.merchant(merchant))
                .fact(LimitPolicies.FACT, LIMITS)
                .fact(Order.FACT, new Order(amount, "EUR", 1))
                .build();
    }

    /** What the admission round answers: reserved, bucket, total before, reused, amount reserved. */
    private List<Long> reply = List.of();

    private void totals(long before, boolean reserved, boolean reused) {
        reply = List.of(reserved ? 1L : 0L, 7L, before, reused ? 1L : 0L, reserved ? 400L : 0L);
    }

    private Uni<StepResult> decide(Exchange exchange) {
        Rounds.replied(exchange, step, reply);
        return step.onRequest(exchange);
    }

    private Uni<StepResult> roundFailed(Exchange exchange, RuntimeException failure) {
        Rounds.failed(exchange, failure, step);
        return step.onRequest(exchange);
    }

    /** Whether the way out asks for a refund. */
    private boolean refunds(Exchange exchange, int status) {
        return step.settlement(exchange, new GatewayResponse(status, Map.of(), Buffer.buffer()))
                .map(call -> call.part().name().equals("refund_amount.lua"))
                .orElse(false);
    }

    @Test
    void underTheLimitTheAmountIsReservedForTheKey() {
        totals(600, true, false);
        Exchange exchange = order("limited-merchant", 400);
        ScriptCall reserve = step.admission(exchange).orElseThrow();
        assertEquals(
                List.of("tg:amount:{limited-merchant}:EUR", "tg:amount:{limited-merchant}:key:" + Sha256.hex("key-1")),
                reserve.keys());
        assertEquals(List.of("400", "1000", "0"), reserve.args().subList(0, 3), "amount, limit, not forced");
        assertThat(decide(exchange)).continues();
        AmountReservation reservation = exchange.require(AmountReservation.FACT);
        assertEquals(7, reservation.bucket());
        assertEquals(400, reservation.amount());
    }

    @Test
    void overTheLimitIs403() {
        totals(601, false, false);
        Exchange exchange = order("limited-merchant", 400);
        assertThat(decide(exchange)).rejectsWith(GatewayError.AMOUNT_LIMIT_EXCEEDED);
        assertFalse(refunds(exchange, 403), "nothing was reserved");
    }

    @Test
    void aRetryWithTheSameKeyReusesItsReservationAndIsNotCheckedAgain() {
        totals(0, true, true);
        Exchange exchange = order("limited-merchant", 400);
        assertThat(decide(exchange)).continues();
        assertTrue(exchange.require(AmountReservation.FACT).reused());
    }

    @Test
    void shadowModeReservesAndLetsThrough() {
        totals(900, true, false);
        Exchange exchange = order("shadow-merchant", 400);
        assertThat(decide(exchange)).continues();
        assertEquals(1, exchange.require(ShadowRejections.FACT).size());
    }

    @Test
    void anUnavailableRedisFailsClosedExceptInShadowMode() {
        RedisUnavailableException down = new RedisUnavailableException(new java.net.ConnectException());
        assertThat(roundFailed(order("limited-merchant", 400), down)).rejectsWith(GatewayError.DEPENDENCY_UNAVAILABLE);
        assertThat(roundFailed(order("shadow-merchant", 400), down)).continues();
    }

    @Test
    void aRedisFaultIs500() {
        assertThat(roundFailed(order("shadow-merchant", 400), new RedisFaultException("reserve_amount.lua", "ERR")))
                .rejectsWith(GatewayError.INTERNAL_ERROR);
    }

    @ParameterizedTest(name = "{0} {1} (earlier attempt may have acted: {2}) -> refunded {3}")
    @CsvSource({
        "ANSWERED, 200, false, false",
        "ANSWERED, 400, false, true",
        "ANSWERED, 404, false, true",
        "ANSWERED, 429, false, true",
        "ANSWERED, 425, false, true",
        "ANSWERED, 401, false, true",
        "ANSWERED, 500, false, false",
        "ANSWERED, 503, false, false",
        "ANSWERED, 408, false, false",
        "ANSWERED, 429, true, false",
        "NOT_SENT, 0, false, true",
        "NOT_SENT, 0, true, false",
        "UNKNOWN, 0, true, false",
    })
    void theReservationIsSettledByTheOutcome(UpstreamOutcome.Kind kind, int status, boolean earlier, boolean refunded) {
        totals(0, true, false);
        Exchange exchange = order("limited-merchant", 400);
        assertThat(decide(exchange)).continues();
        exchange.upstreamOutcome(new UpstreamOutcome(kind, status, earlier), 1);
        assertEquals(refunded, refunds(exchange, status == 0 ? 502 : status));
    }

    @ParameterizedTest(name = "reused, then {0} {1} -> refunded {2}")
    @CsvSource({
        "ANSWERED, 200, false",
        "ANSWERED, 400, true",
        "ANSWERED, 404, true",
        "ANSWERED, 429, false",
        "ANSWERED, 401, false",
        "ANSWERED, 503, false",
        "NOT_SENT, 0, false",
        "UNKNOWN, 0, false",
    })
    void aReservationReusedFromAnEarlierAttemptIsGivenBackOnlyOnTheProvidersDefiniteRefusal(
            UpstreamOutcome.Kind kind, int status, boolean refunded) {
        totals(0, true, true);
        Exchange exchange = order("limited-merchant", 400);
        assertThat(decide(exchange)).continues();
        exchange.upstreamOutcome(new UpstreamOutcome(kind, status, false), 1);
        assertEquals(refunded, refunds(exchange, status == 0 ? 502 : status));
    }

    @Test
    void aReusedReservationIsKeptWhenTheRetryNeverReachesTheProvider() {
        totals(0, true, true);
        Exchange exchange = order("limited-merchant", 400);
        assertThat(decide(exchange)).continues();
        assertFalse(refunds(exchange, 503));
    }

    @Test
    void anOrderNeverForwardedIsRefunded() {
        totals(0, true, false);
        Exchange exchange = order("limited-merchant", 400);
        assertThat(decide(exchange)).continues();
        assertTrue(refunds(exchange, 500));
    }

    @Test
    void anAmountTheRoundReservedForAStepThatNeverRanIsRefunded() {
        // The idempotency claim was not replicated in time: refused after the round had reserved.
        totals(0, true, false);
        Exchange exchange = order("limited-merchant", 400);
        Rounds.replied(exchange, step, reply);
        ScriptCall refund = step.settlement(exchange, new GatewayResponse(503, Map.of(), Buffer.buffer()))
                .orElseThrow();
        assertEquals(List.of("7", "400"), refund.args(), "the bucket and the amount the round reserved");
    }

    @Test
    void aReservationReusedByARoundWhoseStepNeverRanIsKept() {
        totals(0, true, true);
        Exchange exchange = order("limited-merchant", 400);
        Rounds.replied(exchange, step, reply);
        assertFalse(refunds(exchange, 503));
    }

    @Test
    void nothingIsRefundedAfterARoundThatFailed() {
        // The reply is lost, so the bucket is unknown: the amount stays counted, the strict side.
        Exchange exchange = order("limited-merchant", 400);
        assertThat(roundFailed(exchange, new RedisUnavailableException(new java.net.ConnectException())))
                .rejectsWith(GatewayError.DEPENDENCY_UNAVAILABLE);
        assertFalse(refunds(exchange, 503));
    }
}
