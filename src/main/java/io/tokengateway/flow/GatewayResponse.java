package io.tokengateway.flow;

import java.util.LinkedHashMap;
import java.util.Map;

import io.tokengateway.error.ErrorBody;
import io.vertx.core.buffer.Buffer;

/**
 * What the caller gets: an upstream answer passed through, a replay, or the gateway's own error.
 *
 * @param headers response headers other than {@code X-Correlation-Id}, which the API layer adds to every answer
 * @param body    the body bytes; empty for none
 */
public record GatewayResponse(int status, Map<String, String> headers, Buffer body) {

    private static final String JSON = "application/json";
    private static final String RETRY_AFTER = "Retry-After";
    /** For a 503 whose cause names no better time: an outage of Redis or the audit sink is not timed. */
    static final String DEFAULT_RETRY_AFTER_SECONDS = "1";

    public GatewayResponse {
        headers = Map.copyOf(headers);
    }

    /** The gateway's own error answer in the provider's error shape; every 503 says when to retry. */
    public static GatewayResponse error(StepResult.Reject rejection, String correlationId) {
        Map<String, String> headers = new LinkedHashMap<>(rejection.headers());
        headers.put("Content-Type", JSON);
        if (rejection.error().status() == 503 && headers.keySet().stream().noneMatch(RETRY_AFTER::equalsIgnoreCase)) {
            headers.put(RETRY_AFTER, DEFAULT_RETRY_AFTER_SECONDS);
        }
        Buffer body = new ErrorBody(rejection.error().name(), rejection.messages(), correlationId).toJson();
        return new GatewayResponse(rejection.error().status(), headers, body);
    }

    /**
     * A provider's answer passed through. A 503 without {@code Retry-After} gets the gateway's default, as the
     * gateway's own 503s do: a caller's retry logic then needs to handle one shape of 503.
     */
    public static GatewayResponse passedThrough(int status, Map<String, String> headers, Buffer body) {
        if (status == 503 && headers.keySet().stream().noneMatch(RETRY_AFTER::equalsIgnoreCase)) {
            Map<String, String> withRetryAfter = new LinkedHashMap<>(headers);
            withRetryAfter.put(RETRY_AFTER, DEFAULT_RETRY_AFTER_SECONDS);
            return new GatewayResponse(status, withRetryAfter, body);
        }
        return new GatewayResponse(status, headers, body);
    }

    public boolean hasHeader(String name) {
        return headers.keySet().stream().anyMatch(name::equalsIgnoreCase);
    }

    /** A copy with one more header. */
    public GatewayResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new GatewayResponse(status, more, body);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
