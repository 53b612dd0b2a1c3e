package io.tokengateway.limit;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.error.GatewayException;
import io.tokengateway.order.Order;
import io.tokengateway.pipeline.Exchange;
import io.tokengateway.pipeline.GatewayResponse;
import io.tokengateway.pipeline.Operation;
import io.tokengateway.pipeline.PipelineStep;

/**
 * Step 5a, create-order: the merchant's currency policy and per-order maximum
 * ({@code order-limit.currencies}, {@code order-limit.max-amount}). Needs no Redis, so it runs before the
 * idempotency claim; a bug that sends a hundred-fold order is stopped here.
 */
@ApplicationScoped
public class OrderPolicyStep implements PipelineStep {

    private final LimitPolicies policies;
    private final LimitMetrics metrics;

    OrderPolicyStep(LimitPolicies policies, LimitMetrics metrics) {
        this.policies = policies;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "order-limit";
    }

    @Override
    public Uni<GatewayResponse> onRequest(Exchange exchange) {
        if (exchange.operation() != Operation.CREATE_ORDER) {
            return CONTINUE;
        }
        String merchantId = exchange.merchant().id();
        LimitPolicy policy = policies.of(merchantId);
        Order order = exchange.order();
        if (!policy.currencies().isEmpty() && !policy.currencies().contains(order.currency())) {
            metrics.amount(merchantId, policy.shadow() ? "shadow_limited" : "currency_not_allowed");
            ShadowMode.enforce(exchange, policy, name(), new GatewayException(GatewayError.CURRENCY_NOT_ALLOWED,
                    "Merchant '" + merchantId + "' may not order in " + order.currency() + "; allowed: "
                            + String.join(", ", new java.util.TreeSet<>(policy.currencies())) + "."));
        }
        if (policy.maxAmount().isPresent() && order.amount() > policy.maxAmount().getAsLong()) {
            metrics.amount(merchantId, policy.shadow() ? "shadow_limited" : "over_max_amount");
            ShadowMode.enforce(exchange, policy, name(), new GatewayException(GatewayError.AMOUNT_LIMIT_EXCEEDED,
                    "order_amount " + order.amount() + " is above the merchant's per-order maximum of "
                            + policy.maxAmount().getAsLong() + "."));
        }
        return CONTINUE;
    }
}
