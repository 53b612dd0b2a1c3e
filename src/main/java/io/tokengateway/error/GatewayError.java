package io.tokengateway.error;

/**
 * Every error the gateway itself answers with: HTTP status and the provider-style {@code error_code}.
 * This is the single list; docs/api.md documents it for callers.
 */
public enum GatewayError {
    BAD_VALUE(400),
    BAD_REQUEST(400),
    MERCHANT_REQUIRED(400),
    IDEMPOTENCY_KEY_REQUIRED(400),
    BAD_IDEMPOTENCY_KEY(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    AMOUNT_LIMIT_EXCEEDED(403),
    CURRENCY_NOT_ALLOWED(403),
    NOT_FOUND(404),
    IDEMPOTENCY_KEY_IN_USE(409),
    PAYLOAD_TOO_LARGE(413),
    IDEMPOTENCY_KEY_REUSED(422),
    RATE_LIMITED(429),
    UPSTREAM_RATE_LIMITED(429),
    /** Not in the design's table: the answer to a bug in the gateway, never with any detail. */
    INTERNAL_ERROR(500),
    UPSTREAM_ERROR(502),
    UPSTREAM_AUTH_FAILED(502),
    UPSTREAM_UNAVAILABLE(503),
    DEPENDENCY_UNAVAILABLE(503),
    UPSTREAM_TIMEOUT(504);

    private final int status;

    GatewayError(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
