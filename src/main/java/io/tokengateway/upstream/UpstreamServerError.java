package io.tokengateway.upstream;

import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;

/**
 * A 5xx answer from the provider, carried as a failure through the circuit breaker and the retry policy
 * (both must see it as a failed call), then turned back into the answer it is and passed to the caller.
 */
final class UpstreamServerError extends RuntimeException {

    private final transient HttpResponse<Buffer> response;

    UpstreamServerError(HttpResponse<Buffer> response) {
        super("upstream answered " + response.statusCode(), null, false, false);
        this.response = response;
    }

    HttpResponse<Buffer> response() {
        return response;
    }

    int status() {
        return response.statusCode();
    }
}
