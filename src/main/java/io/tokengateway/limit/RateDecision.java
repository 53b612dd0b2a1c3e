package io.tokengateway.limit;

import io.tokengateway.flow.Fact;

/**
 * The outcome of one request-rate check.
 *
 * @param allowed          whether the request fits the budget
 * @param remaining        requests that could still arrive at once after this one
 * @param retryAfterMicros when limited, how long until one more request fits
 * @param resetMicros      how long until the whole burst is available again
 */
public record RateDecision(boolean allowed, long remaining, long retryAfterMicros, long resetMicros) {

    /** Established by the rate-limit step when a limiter answered. */
    public static final Fact<RateDecision> FACT = new Fact<>("rate-decision");

    /** {@code Retry-After} in whole seconds, never 0 for a limited request. */
    public long retryAfterSeconds() {
        return Math.max(1, ceilSeconds(retryAfterMicros));
    }

    /** {@code RateLimit} (IETF draft): remaining quota and seconds until it is fully restored. */
    public String rateLimitHeader() {
        return "\"merchant\";r=" + remaining + ";t=" + ceilSeconds(resetMicros);
    }

    private static long ceilSeconds(long micros) {
        return (micros + 999_999) / 1_000_000;
    }
}
