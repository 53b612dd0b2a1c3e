package io.tokengateway.order;

import java.util.Locale;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.Step;
import io.tokengateway.flow.StepResult;

/**
 * Order validation: the body is what the provider would accept. {@code create-order} bodies are validated in
 * full (schema and arithmetic), {@code cancel-token} bodies must be {@code {"status":"CANCELLED"}}.
 * Pure CPU work on bytes already in memory, before any Redis or upstream call.
 */
@Singleton
public class OrderValidationStep implements Step {

    private final OrderValidator validator;

    OrderValidationStep(OrderValidator validator) {
        this.validator = validator;
    }

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public Uni<StepResult> onRequest(Exchange exchange) {
        if (!exchange.operation().hasBody()) {
            return StepResult.proceed();
        }
        if (!isJson(exchange.request().contentType())) {
            return StepResult.reject(GatewayError.BAD_REQUEST, "Content-Type must be application/json.");
        }
        try {
            switch (exchange.operation()) {
                case CREATE_ORDER ->
                    exchange.establish(
                            Order.FACT,
                            validator.validateOrder(exchange.request().body()));
                case CANCEL_TOKEN ->
                    validator.validateStatusUpdate(exchange.request().body());
                case READ_TOKEN -> throw new IllegalStateException("read-token has no body");
            }
        } catch (InvalidBodyException invalid) {
            // The validator's own signal: the body is not what the provider would accept, with every violation.
            return Uni.createFrom()
                    .item(new StepResult.Reject(invalid.error(), invalid.messages(), java.util.Map.of()));
        }
        return StepResult.proceed();
    }

    private static boolean isJson(String contentType) {
        String mediaType =
                contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json");
    }
}
