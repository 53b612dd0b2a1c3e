package io.tokengateway.flow;

/**
 * How a forward to the provider ended, decided once where the provider is called and read by every
 * step that cares (idempotency, amount limits, metrics, audit); no other place interprets status numbers.
 *
 * <table>
 * <caption>outcomes</caption>
 * <tr><th>kind</th><th>when</th><th>definite</th><th>did the provider act?</th></tr>
 * <tr><td>ANSWERED</td><td>2xx</td><td>yes</td><td>yes</td></tr>
 * <tr><td>ANSWERED</td><td>400, 403, 404, 422, any 4xx not below</td><td>yes</td><td>no</td></tr>
 * <tr><td>ANSWERED</td><td>5xx, 408, 409</td><td>no</td><td>unknown</td></tr>
 * <tr><td>ANSWERED</td><td>425, 429, 401 (our credentials), 1xx/3xx (not followed)</td><td>no</td><td>no</td></tr>
 * <tr><td>NOT_SENT</td><td>refused, circuit open, bulkhead full, deadline before sending</td><td>no</td><td>no</td></tr>
 * <tr><td>UNKNOWN</td><td>sent, but no complete answer: timeout, connection closed, malformed answer</td><td>no</td><td>unknown</td></tr>
 * </table>
 *
 * An answer that is not definite says nothing about earlier attempts of the same forward: when one of
 * them may have reached the provider ({@code earlierAttemptMayHaveActed}), the provider may have acted
 * even though the last attempt was, say, refused.
 *
 * @param status the provider's status for {@code ANSWERED}; 0 otherwise
 */
public record UpstreamOutcome(Kind kind, int status, boolean earlierAttemptMayHaveActed) {

    public enum Kind {
        /** The provider gave a complete answer. */
        ANSWERED,
        /** Nothing reached the provider. */
        NOT_SENT,
        /** Something was sent, but no complete answer came back. */
        UNKNOWN
    }

    /** Whether the provider took action on the request. */
    public enum Acted {
        YES,
        NO,
        MAYBE
    }

    public static UpstreamOutcome answered(int status, boolean earlierAttemptMayHaveActed) {
        return new UpstreamOutcome(Kind.ANSWERED, status, earlierAttemptMayHaveActed);
    }

    public static UpstreamOutcome notSent(boolean earlierAttemptMayHaveActed) {
        return new UpstreamOutcome(Kind.NOT_SENT, 0, earlierAttemptMayHaveActed);
    }

    public static UpstreamOutcome unknown() {
        return new UpstreamOutcome(Kind.UNKNOWN, 0, true);
    }

    /** The provider's final word on this request: 2xx, or a 4xx that says it will never act on it. */
    public boolean isDefinite() {
        return kind == Kind.ANSWERED && (isSuccess() || isDefiniteRefusal());
    }

    public boolean isSuccess() {
        return kind == Kind.ANSWERED && status >= 200 && status < 300;
    }

    /** Whether the provider acted, as far as the gateway can know. */
    public Acted acted() {
        if (isSuccess()) {
            return Acted.YES;
        }
        if (isDefiniteRefusal()) {
            return Acted.NO; // the provider's word on the key settles what earlier attempts did
        }
        boolean thisAttemptMayHaveActed =
                kind == Kind.UNKNOWN || (kind == Kind.ANSWERED && (status >= 500 || status == 408 || status == 409));
        return thisAttemptMayHaveActed || earlierAttemptMayHaveActed ? Acted.MAYBE : Acted.NO;
    }

    /** A short label for metrics and audit: the status class, or the kind when there was no answer. */
    public String label() {
        if (kind == Kind.ANSWERED) {
            // The provider throttling the merchant is its own series: the 429-rate alert watches it.
            return status == 429 ? "429" : status / 100 + "xx";
        }
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    private boolean isDefiniteRefusal() {
        return kind == Kind.ANSWERED
                && status >= 400
                && status < 500
                && status != 401
                && status != 408
                && status != 409
                && status != 425
                && status != 429;
    }
}
