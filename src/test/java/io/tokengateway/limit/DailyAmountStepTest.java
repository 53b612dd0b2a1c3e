package io.tokengateway.limit;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;
import static io.tokengateway.flow.testkit.StepAssertions.responseOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.UpstreamOutcome;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.tokengateway.flow.testkit.TestConfig;
import io.tokengateway.flow.testkit.TestMerchants;
import io.tokengateway.order.Order;
import io.tokengateway.redis.RedisFaultException;
import io.tokengateway.redis.RedisUnavailableException;
import io.vertx.core.buffer.Buffer;

class DailyAmountStepTest {

    /** The 24 h totals, as the test says, and the refunds asked for. */
    static final class FakeStore extends DailyAmountStore {
        Supplier<Uni<Attempt>> reservations;
        Optional<String> keyAskedFor;
        final List<AmountReservation> refunds = new ArrayList<>();

        FakeStore() {
            super(null);
        }

        @Override
        public Uni<Attempt> reserve(
                String merchantId,
                String currency,
                long amount,
                long limit,
                boolean force,
                Optional<String> idempotencyKey,
                String fingerprint,
                Duration reservationLifetime) {
            keyAskedFor = idempotencyKey;
            return reservations.get();
        }

        @Override
        public Uni<Boolean> refund(AmountReservation reservation) {
            refunds.add(reservation);
            return Uni.createFrom().item(true);
        }
    }

    private final FakeStore store = new FakeStore();
    private final GatewayConfig config = TestConfig.gateway(TestMerchants.with(
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
            "true"));
    private final DailyAmountStep step =
            new DailyAmountStep(store, new LimitPolicies(config), new LimitMetrics(new SimpleMeterRegistry()), config);

    private static Exchange order(String merchant, long amount) {
        return ExchangeBuilder.createOrder("{}")
                .idempotencyKey("key-1")
                .merchant(ExchangeBuilder.merchant(merchant))
                .fact(Order.FACT, new Order(amount, "EUR", 1))
                .build();
    }

    private void totals(long before, boolean reserved, boolean reused) {
        AmountReservation reservation = new AmountReservation("tg:amount:{m}:EUR", Optional.of("res"), 7, 400, reused);
        store.reservations = () -> Uni.createFrom().item(new DailyAmountStore.Attempt(reservation, reserved, before));
    }

    @Test
    void underTheLimitTheAmountIsReservedForTheKey() {
        totals(600, true, false);
        Exchange exchange = order("limited-merchant", 400);
        assertThat(step.onRequest(exchange)).continues();
        assertTrue(exchange.fact(AmountReservation.FACT).isPresent());
        assertEquals(Optional.of("key-1"), store.keyAskedFor);
    }

    @Test
    void overTheLimitIs403() {
        totals(601, false, false);
        assertThat(step.onRequest(order("limited-merchant", 400))).rejectsWith(GatewayError.AMOUNT_LIMIT_EXCEEDED);
    }

    @Test
    void aRetryWithTheSameKeyReusesItsReservationAndIsNotCheckedAgain() {
        totals(0, true, true);
        Exchange exchange = order("limited-merchant", 400);
        assertThat(step.onRequest(exchange)).continues();
        assertTrue(exchange.require(AmountReservation.FACT).reused());
    }

    @Test
    void shadowModeReservesAndLetsThrough() {
        totals(900, true, false);
        Exchange exchange = order("shadow-merchant", 400);
        assertThat(step.onRequest(exchange)).continues();
        assertEquals(1, exchange.require(ShadowMode.VIOLATIONS).size());
    }

    @Test
    void anUnavailableRedisFailsClosedExceptInShadowMode() {
        store.reservations =
                () -> Uni.createFrom().failure(new RedisUnavailableException(new java.net.ConnectException()));
        assertThat(step.onRequest(order("limited-merchant", 400))).rejectsWith(GatewayError.DEPENDENCY_UNAVAILABLE);
        assertThat(step.onRequest(order("shadow-merchant", 400))).continues();
    }

    @Test
    void aRedisFaultIs500() {
        store.reservations = () -> Uni.createFrom().failure(new RedisFaultException("reserve_amount.lua", "ERR"));
        assertThat(step.onRequest(order("shadow-merchant", 400))).rejectsWith(GatewayError.INTERNAL_ERROR);
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
        assertThat(step.onRequest(exchange)).continues();
        exchange.upstreamOutcome(new UpstreamOutcome(kind, status, earlier), 1);
        responseOf(
                step.onResponse(exchange, new GatewayResponse(status == 0 ? 502 : status, Map.of(), Buffer.buffer())));
        assertEquals(refunded ? 1 : 0, store.refunds.size());
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
        assertThat(step.onRequest(exchange)).continues();
        exchange.upstreamOutcome(new UpstreamOutcome(kind, status, false), 1);
        responseOf(
                step.onResponse(exchange, new GatewayResponse(status == 0 ? 502 : status, Map.of(), Buffer.buffer())));
        assertEquals(refunded ? 1 : 0, store.refunds.size());
    }

    @Test
    void aReusedReservationIsKeptWhenTheRetryNeverReachesTheProvider() {
        totals(0, true, true);
        Exchange exchange = order("limited-merchant", 400);
        assertThat(step.onRequest(exchange)).continues();
        responseOf(step.onResponse(exchange, new GatewayResponse(503, Map.of(), Buffer.buffer())));
        assertEquals(0, store.refunds.size());
    }

    @Test
    void anOrderNeverForwardedIsRefunded() {
        totals(0, true, false);
        Exchange exchange = order("limited-merchant", 400);
        assertThat(step.onRequest(exchange)).continues();
        responseOf(step.onResponse(exchange, new GatewayResponse(500, Map.of(), Buffer.buffer())));
        assertEquals(1, store.refunds.size());
    }
}
