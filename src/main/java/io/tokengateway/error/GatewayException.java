package io.tokengateway.error;

import java.util.List;
import java.util.Map;

/**
 * A request the gateway answers itself, with one of the {@link GatewayError} codes.
 *
 * <p>Messages go to the caller verbatim, so they must never contain a customer token, a card number
 * or a credential. No stack trace is captured: these are expected outcomes, not bugs, and a stack
 * trace is one more place request data could leak from.
 *
 * @param headers extra response headers, such as {@code Retry-After} or {@code WWW-Authenticate}
 */
public final class GatewayException extends RuntimeException {

    private final GatewayError error;
    private final List<String> messages;
    private final Map<String, String> headers;

    public GatewayException(GatewayError error, List<String> messages, Map<String, String> headers) {
        super(error.name(), null, false, false);
        this.error = error;
        this.messages = List.copyOf(messages);
        this.headers = Map.copyOf(headers);
    }

    public GatewayException(GatewayError error, String message) {
        this(error, List.of(message), Map.of());
    }

    public GatewayError error() {
        return error;
    }

    public List<String> messages() {
        return messages;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
