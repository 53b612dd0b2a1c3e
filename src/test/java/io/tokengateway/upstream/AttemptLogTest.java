package io.tokengateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.tokengateway.flow.UpstreamOutcome;

/** What the attempts of one forward did, and the deadline as they see it. */
class AttemptLogTest {

    private final AtomicInteger sent = new AtomicInteger();

    private Uni<String> send(Uni<String> answer) {
        sent.incrementAndGet();
        return answer;
    }

    @Test
    void anAttemptStillWaitingAtTheDeadlineIsNeverSent() {
        AttemptLog attempts =
                new AttemptLog(System.nanoTime() + Duration.ofSeconds(10).toNanos());
        Uni<String> queued = attempts.track(() -> send(Uni.createFrom().item("answer")));
        attempts.close(); // the deadline passed while the attempt waited for the bulkhead
        assertThrows(AttemptLog.DeadlinePassed.class, () -> queued.await().atMost(Duration.ofSeconds(1)));
        assertEquals(0, sent.get());
        assertEquals(UpstreamOutcome.notSent(false), OutcomeClassifier.failed(new TimeoutException(), attempts));
    }

    @Test
    void anAttemptInFlightAtTheDeadlineMayHaveReachedTheProvider() {
        AttemptLog attempts =
                new AttemptLog(System.nanoTime() + Duration.ofSeconds(10).toNanos());
        attempts.track(() -> send(Uni.createFrom().nothing())).subscribe().with(item -> {});
        attempts.close();
        assertEquals(1, sent.get());
        assertEquals(
                UpstreamOutcome.Kind.UNKNOWN,
                OutcomeClassifier.failed(new TimeoutException(), attempts).kind());
    }

    @Test
    void aRefusedAttemptThenAnAnswerSaysNothingReachedTheProviderBefore() {
        AttemptLog attempts =
                new AttemptLog(System.nanoTime() + Duration.ofSeconds(10).toNanos());
        assertEquals(
                "refused",
                attempts.track(() -> send(Uni.createFrom().<String>failure(new ConnectException())))
                        .onFailure(ConnectException.class)
                        .recoverWithItem("refused")
                        .await()
                        .atMost(Duration.ofSeconds(1)));
        attempts.track(() -> send(Uni.createFrom().item("ok"))).await().atMost(Duration.ofSeconds(1));
        assertEquals(UpstreamOutcome.answered(429, false), OutcomeClassifier.answered(429, attempts));
    }

    @Test
    void eachAttemptGetsWhatIsLeftOfTheDeadline() {
        AttemptLog attempts =
                new AttemptLog(System.nanoTime() + Duration.ofMillis(800).toNanos());
        assertTrue(attempts.remainingMillis() <= 800 && attempts.remainingMillis() > 0);
        AttemptLog passed = new AttemptLog(System.nanoTime() - 1);
        assertEquals(1, passed.remainingMillis());
    }
}
