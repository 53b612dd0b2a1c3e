package io.tokengateway.limit;

import java.util.TreeSet;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.Operation;
import io.tokengateway.flow.Step;
import io.tokengateway.flow.StepResult;
import io.tokengateway.merchant.Merchant;
import io.tokengateway.order.Order;

/**
 * Order policy, create-order: the merchant's currency policy and per-order maximum
 * ({@code order-limit.currencies}, {@code order-limit.max-amount}). Needs no Redis, so it runs before the
 * idempotency claim; a bug that sends a hundred-fold order is stopped here.
 */
@Singleton
public class OrderPolicyStep implements Step {

    private final LimitMetrics metrics;

    OrderPolicyStep(LimitMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "order-limit";
    }

    @Override
    public Uni<StepResult> onRequest(Exchange exchange) {
        if (exchange.operation() != Operation.CREATE_ORDER) {
            return StepResult.proceed();
        }
        String merchantId = exchange.require(Merchant.FACT).id();
        LimitPolicy policy = LimitPolicies.forMerchant(exchange, merchantId);
        Order order = exchange.require(Order.FACT);
        if (!policy.currencies().isEmpty() && !policy.currencies().contains(order.currency())) {
            metrics.amount(merchantId, policy.shadow() ? "shadow_limited" : "currency_not_allowed");
            StepResult result = ShadowMode.enforce(
                    exchange,
                    policy,
                    name(),
                    new StepResult.Reject(
                            GatewayError.CURRENCY_NOT_ALLOWED,
                            "Merchant '" + merchantId + "' may not order in " + order.currency() + "; allowed: "
                                    + String.join(", ", new TreeSet<>(policy.currencies())) + "."));
            if (result instanceof StepResult.Reject) {
                return Uni.createFrom().item(result);
            }
        }
        if (policy.maxAmount().isPresent()
                && order.amount() > policy.maxAmount().getAsLong()) {
            metrics.amount(merchantId, policy.shadow() ? "shadow_limited" : "over_max_amount");
            return Uni.createFrom()
                    .item(ShadowMode.enforce(
                            exchange,
                            policy,
                            name(),
                            new StepResult.Reject(
                                    GatewayError.AMOUNT_LIMIT_EXCEEDED,
                                    "order_amount " + order.amount() + " is above the merchant's per-order maximum of "
                                            + policy.maxAmount().getAsLong() + ".")));
        }
        return StepResult.proceed();
    }
}
