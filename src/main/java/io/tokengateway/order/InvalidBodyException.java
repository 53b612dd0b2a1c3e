package io.tokengateway.order;

import java.util.List;

import io.tokengateway.error.GatewayError;

/**
 * The validator's verdict on a body the provider would not accept: {@code BAD_VALUE} with every
 * violation, or {@code BAD_REQUEST} for a body that is not a JSON object at all. Thrown from deep inside
 * the streaming parse, where unwinding is the natural way out; the validation step turns it into a
 * rejection.
 *
 * <p>Messages go to the caller verbatim, so they never contain a customer token, a card number or a
 * credential. No stack trace is captured: this is an expected outcome, not a bug.
 */
public final class InvalidBodyException extends RuntimeException {

    private final GatewayError error;
    private final List<String> messages;

    public InvalidBodyException(GatewayError error, List<String> messages) {
        super(error.name(), null, false, false);
        this.error = error;
        this.messages = List.copyOf(messages);
    }

    public InvalidBodyException(GatewayError error, String message) {
        this(error, List.of(message));
    }

    public GatewayError error() {
        return error;
    }

    public List<String> messages() {
        return messages;
    }
}
