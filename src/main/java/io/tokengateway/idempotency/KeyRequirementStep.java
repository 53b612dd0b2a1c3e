package io.tokengateway.idempotency;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.Operation;
import io.tokengateway.flow.Step;
import io.tokengateway.flow.StepResult;
import io.tokengateway.merchant.Merchant;

/**
 * A {@code create-order} must carry an idempotency key unless its merchant's policy says otherwise
 * ({@code gateway.merchants.<id>.idempotency-required}, default true). Checked right after
 * authorization, before anything touches Redis: a request without its key is rejected on its face.
 */
@Singleton
public class KeyRequirementStep implements Step {

    @Override
    public String name() {
        return "idempotency-key";
    }

    @Override
    public Uni<StepResult> onRequest(Exchange exchange) {
        if (exchange.operation() == Operation.CREATE_ORDER
                && exchange.request().idempotencyKey() == null
                && exchange.require(Merchant.FACT).idempotencyRequired()) {
            return StepResult.reject(
                    GatewayError.IDEMPOTENCY_KEY_REQUIRED,
                    "Klarna-Idempotency-Key is required for create-order, so that a retried order is never placed twice.");
        }
        return StepResult.proceed();
    }
}
