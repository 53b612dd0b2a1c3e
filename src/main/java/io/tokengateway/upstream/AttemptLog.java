package io.tokengateway.upstream;

import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * What the attempts of one forward did, so its outcome can say whether the provider may have acted even
 * when the last attempt did not reach it; and the forward's deadline as the attempts see it.
 *
 * <p>At the deadline the log is {@link #close() closed}: an attempt that was still waiting (queued in the
 * bulkhead, or a retry after its backoff) then fails without sending anything. The fault-tolerance guard
 * does not pass the deadline's cancellation on to what it queued, so without this a request already
 * answered "not sent" could still reach the provider. Attempts may run on a timer thread after a backoff:
 * the state is guarded by this object's lock.
 */
final class AttemptLog {

    /** An attempt the deadline overtook before it was sent. */
    static final class DeadlinePassed extends RuntimeException {
        DeadlinePassed() {
            super("the forward's deadline passed before this attempt was sent", null, false, false);
        }
    }

    private final long deadlineNanos;
    private boolean closed;
    private int started;
    private int finished;
    private int reached;

    AttemptLog(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** One attempt, built and counted when subscribed (the guard admitted it), unless the deadline passed. */
    <T> Uni<T> track(Supplier<Uni<T>> attempt) {
        return Uni.createFrom().deferred(() -> {
            synchronized (this) {
                if (closed) {
                    return Uni.createFrom().failure(new DeadlinePassed());
                }
                started++;
            }
            return attempt.get().onItemOrFailure().invoke((item, failure) -> finished(failure));
        });
    }

    private synchronized void finished(Throwable failure) {
        if (failure == null || !OutcomeClassifier.isNotSent(failure)) {
            reached++;
        }
        finished++;
    }

    /** At the deadline: no attempt starts from now on. */
    synchronized void close() {
        closed = true;
    }

    /** What is left of the deadline for an attempt starting now, in milliseconds (at least 1). */
    long remainingMillis() {
        return Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    synchronized int started() {
        return started;
    }

    /** Attempts that may have reached the provider: ended with an answer or after sending, or still running. */
    synchronized int mayHaveReached() {
        return reached + (started - finished);
    }
}
