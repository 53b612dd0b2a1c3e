package io.tokengateway.flow;

import java.util.List;
import java.util.Map;

import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;

/** What a step decided about a request on its way in: exactly one of three things. */
public sealed interface StepResult permits StepResult.Continue, StepResult.Answer, StepResult.Reject {

    /** Let the request go on to the next step. */
    record Continue() implements StepResult {}

    /** Answer the request here; no later step sees it. */
    record Answer(GatewayResponse response) implements StepResult {}

    /**
     * Turn the request away with one of the gateway's own errors, in the provider's error shape.
     *
     * @param messages go to the caller verbatim: never a customer token, card number or credential
     * @param headers  extra response headers, such as {@code Retry-After} or {@code WWW-Authenticate}
     */
    record Reject(GatewayError error, List<String> messages, Map<String, String> headers) implements StepResult {

        public Reject {
            messages = List.copyOf(messages);
            headers = Map.copyOf(headers);
        }

        public Reject(GatewayError error, String message) {
            this(error, List.of(message), Map.of());
        }
    }

    Continue CONTINUE = new Continue();

    /** The ready-made {@code Uni} of {@link #CONTINUE}, for steps with nothing to wait for. */
    static Uni<StepResult> proceed() {
        return Uni.createFrom().item(CONTINUE);
    }

    static Uni<StepResult> reject(GatewayError error, String message) {
        return Uni.createFrom().item(new Reject(error, message));
    }

    /** The answer for a bug or a fault the caller cannot fix: no detail, ever. */
    static Reject internalError() {
        return new Reject(GatewayError.INTERNAL_ERROR, "The gateway failed to handle the request.");
    }
}
