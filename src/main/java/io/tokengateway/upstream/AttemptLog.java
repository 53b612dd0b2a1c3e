package io.tokengateway.upstream;

import java.util.concurrent.atomic.AtomicInteger;

import io.smallrye.mutiny.Uni;

/**
 * What the attempts of one forward did, so its outcome can say whether the provider may have acted even
 * when the last attempt did not reach it. Attempts may run on a timer thread after a backoff, hence atomics.
 */
final class AttemptLog {

    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger reached = new AtomicInteger();

    /** {@code attempt}, counted when subscribed (the guard admitted it) and when it ends. */
    <T> Uni<T> track(Uni<T> attempt) {
        return Uni.createFrom().deferred(() -> {
            started.incrementAndGet();
            return attempt.onItemOrFailure().invoke((item, failure) -> {
                if (failure == null || !OutcomeClassifier.isNotSent(failure)) {
                    reached.incrementAndGet();
                }
                finished.incrementAndGet();
            });
        });
    }

    int started() {
        return started.get();
    }

    /** Attempts that may have reached the provider: ended with an answer or after sending, or still running. */
    int mayHaveReached() {
        return reached.get() + (started.get() - finished.get());
    }
}
