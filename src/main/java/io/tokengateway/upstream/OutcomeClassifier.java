package io.tokengateway.upstream;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import io.tokengateway.flow.UpstreamOutcome;

/**
 * The one place that turns how a forward ended (the last attempt's status or failure, and what the
 * attempts before it did) into an {@link UpstreamOutcome}; every other step reads the outcome.
 */
final class OutcomeClassifier {

    private OutcomeClassifier() {}

    /** The outcome of a forward whose last attempt got a complete answer with this status. */
    static UpstreamOutcome answered(int status, AttemptLog attempts) {
        return UpstreamOutcome.answered(status, attempts.mayHaveReached() > 1);
    }

    /** The outcome of a forward that got no complete answer. */
    static UpstreamOutcome failed(Throwable failure, AttemptLog attempts) {
        if (failure instanceof TimeoutException) {
            // The deadline closed the attempt log: unknown if anything was or still is on the wire; else nothing
            // was sent, and nothing still waiting (queued, backing off) ever will be.
            return attempts.mayHaveReached() > 0 ? UpstreamOutcome.unknown() : UpstreamOutcome.notSent(false);
        }
        if (isNotSent(failure)) {
            return UpstreamOutcome.notSent(attempts.mayHaveReached() > 0);
        }
        return UpstreamOutcome.unknown(); // sent, then the connection closed or the answer was broken
    }

    /** The failures that prove the attempt never reached the provider. */
    static boolean isNotSent(Throwable failure) {
        return failure instanceof ConnectException
                || failure instanceof UnknownHostException
                || failure instanceof NoRouteToHostException
                || failure instanceof CircuitBreakerOpenException
                || failure instanceof BulkheadException
                || failure instanceof AttemptLog.DeadlinePassed;
    }
}
