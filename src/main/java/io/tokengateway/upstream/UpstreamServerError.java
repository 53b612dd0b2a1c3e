package io.tokengateway.upstream;

/**
 * A 5xx answer from the provider, carried as a failure through the circuit breaker and the retry policy
 * (both must see it as a failed call), then turned back into the answer it is and passed to the caller.
 */
final class UpstreamServerError extends RuntimeException {

    private final transient ProviderAnswer answer;

    UpstreamServerError(ProviderAnswer answer) {
        super("upstream answered " + answer.status(), null, false, false);
        this.answer = answer;
    }

    ProviderAnswer answer() {
        return answer;
    }

    int status() {
        return answer.status();
    }
}
