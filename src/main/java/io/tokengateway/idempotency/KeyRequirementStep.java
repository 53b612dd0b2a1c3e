package io.tokengateway.idempotency;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.error.GatewayException;
import io.tokengateway.pipeline.Exchange;
import io.tokengateway.pipeline.GatewayResponse;
import io.tokengateway.pipeline.Operation;
import io.tokengateway.pipeline.PipelineStep;

/**
 * A {@code create-order} must carry an idempotency key unless its merchant's policy says otherwise
 * ({@code gateway.merchants.<id>.idempotency-required}, default true). Checked right after
 * authorization, before anything touches Redis: a request without its key is rejected on its face.
 */
@ApplicationScoped
public class KeyRequirementStep implements PipelineStep {

    @Override
    public String name() {
        return "idempotency-key";
    }

    @Override
    public Uni<GatewayResponse> onRequest(Exchange exchange) {
        if (exchange.operation() == Operation.CREATE_ORDER && exchange.request().idempotencyKey() == null
                && exchange.merchant().idempotencyRequired()) {
            throw new GatewayException(GatewayError.IDEMPOTENCY_KEY_REQUIRED,
                    "Klarna-Idempotency-Key is required for create-order, so that a retried order is never placed twice.");
        }
        return CONTINUE;
    }
}
