package io.tokengateway.limit;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.Rejection;
import io.tokengateway.flow.ShadowRejections;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.tokengateway.flow.testkit.TestConfig;
import io.tokengateway.flow.testkit.TestMerchants;
import io.tokengateway.order.Order;

class OrderPolicyStepTest {

    private static final LimitPolicies LIMITS = TestConfig.limits(TestMerchants.with(
            TestMerchants.merchant("limited-merchant", "http://127.0.0.1:1"),
            "merchants.limited-merchant.order-limit.currencies",
            "EUR,SEK",
            "merchants.limited-merchant.order-limit.max-amount",
            "500000",
            "merchants.shadow-merchant.base-url",
            "http://127.0.0.1:1",
            "merchants.shadow-merchant.username",
            "u",
            "merchants.shadow-merchant.password",
            "p",
            "merchants.shadow-merchant.order-limit.currencies",
            "SEK",
            "merchants.shadow-merchant.order-limit.max-amount",
            "1000",
            "merchants.shadow-merchant.shadow",
            "true"));
    private final OrderPolicyStep step = new OrderPolicyStep(new LimitMetrics(new SimpleMeterRegistry()));

    private static Exchange order(String merchant, long amount, String currency) {
        return ExchangeBuilder.createOrder("{}")
                .merchant(ExchangeBuilder.merchant(merchant))
                .fact(LimitPolicies.FACT, LIMITS)
                .fact(Order.FACT, new Order(amount, currency, 1))
                .build();
    }

    @Test
    void withinPolicyContinues() {
        assertThat(step.onRequest(order("limited-merchant", 500_000, "SEK"))).continues();
    }

    @Test
    void aCurrencyOutsideThePolicyIs403() {
        assertThat(step.onRequest(order("limited-merchant", 100, "USD")))
                .rejectsWith(GatewayError.CURRENCY_NOT_ALLOWED);
    }

    @Test
    void anAmountAboveTheMaximumIs403() {
        assertThat(step.onRequest(order("limited-merchant", 500_001, "EUR")))
                .rejectsWith(GatewayError.AMOUNT_LIMIT_EXCEEDED);
    }

    @Test
    void shadowModeLetsEveryViolationThroughAndRecordsEach() {
        Exchange exchange = order("shadow-merchant", 5000, "EUR");
        assertThat(step.onRequest(exchange)).continues();
        assertEquals(
                List.of(
                        new Rejection("order-limit", GatewayError.CURRENCY_NOT_ALLOWED),
                        new Rejection("order-limit", GatewayError.AMOUNT_LIMIT_EXCEEDED)),
                exchange.require(ShadowRejections.FACT));
    }

    @Test
    void readsAndCancelsHaveNoOrderToCheck() {
        assertThat(step.onRequest(ExchangeBuilder.readToken()
                        .merchant(ExchangeBuilder.merchant("limited-merchant"))
                        .fact(LimitPolicies.FACT, LIMITS)
                        .build()))
                .continues();
    }
}
