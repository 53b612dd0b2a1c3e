package io.tokengateway.order;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.error.GatewayException;
import io.tokengateway.pipeline.Exchange;
import io.tokengateway.pipeline.GatewayResponse;
import io.tokengateway.pipeline.PipelineStep;

/**
 * Step 3: the body is what the provider would accept. {@code create-order} bodies are validated in
 * full (schema and arithmetic), {@code cancel-token} bodies must be {@code {"status":"CANCELLED"}}.
 * Pure CPU work on bytes already in memory, before any Redis or upstream call.
 */
@ApplicationScoped
public class OrderValidationStep implements PipelineStep {

    private final OrderValidator validator;

    OrderValidationStep(OrderValidator validator) {
        this.validator = validator;
    }

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public Uni<GatewayResponse> onRequest(Exchange exchange) {
        switch (exchange.operation()) {
            case CREATE_ORDER -> {
                requireJson(exchange.request().contentType());
                exchange.order(validator.validateOrder(exchange.request().body()));
            }
            case CANCEL_TOKEN -> {
                requireJson(exchange.request().contentType());
                validator.validateStatusUpdate(exchange.request().body());
            }
            case READ_TOKEN -> {
                // no body to validate
            }
        }
        return CONTINUE;
    }

    private static void requireJson(String contentType) {
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw new GatewayException(GatewayError.BAD_REQUEST, "Content-Type must be application/json.");
        }
    }
}
