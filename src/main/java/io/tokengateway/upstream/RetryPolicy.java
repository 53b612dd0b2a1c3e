package io.tokengateway.upstream;

import java.net.ConnectException;

import io.tokengateway.flow.Operation;

/**
 * Which failed upstream calls may be tried again without risking a second order:
 * <ul>
 * <li>{@code read-token} reads: a refused connection, a connection closed mid-call, or a 502/503;</li>
 * <li>{@code create-order} and {@code cancel-token} only when the request provably did not reach the
 * provider (connection refused), or, when they carry an idempotency key, which the provider
 * deduplicates, also on a closed connection or a 502/503.</li>
 * </ul>
 * Never on a timeout (the call may still be running), never on a 429 (the provider asked us to slow
 * down), never on any other answer.
 */
final class RetryPolicy {

    private RetryPolicy() {}

    static boolean isSafeToRetry(Operation operation, boolean hasIdempotencyKey, Throwable failure) {
        if (failure instanceof ConnectException) {
            return true; // nothing was sent
        }
        boolean reachedButIdempotent = operation == Operation.READ_TOKEN || hasIdempotencyKey;
        if (!reachedButIdempotent) {
            return false;
        }
        if (failure instanceof UpstreamServerError error) {
            return error.status() == 502 || error.status() == 503;
        }
        return failure instanceof ProviderFailures.ConnectionClosed;
    }
}
