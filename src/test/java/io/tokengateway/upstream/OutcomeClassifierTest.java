package io.tokengateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.smallrye.mutiny.Uni;
import io.tokengateway.flow.UpstreamOutcome;

/** How a forward's end becomes the outcome the caller, the audit trail and the idempotency record read. */
class OutcomeClassifierTest {

    private final AttemptLog attempts =
            new AttemptLog(System.nanoTime() + Duration.ofSeconds(10).toNanos());

    private void attemptEndsWith(Throwable failure) {
        attempts.track(() -> Uni.createFrom().<String>failure(failure))
                .onFailure()
                .recoverWithItem("ended")
                .await()
                .atMost(Duration.ofSeconds(1));
    }

    private void attemptAnswers() {
        attempts.track(() -> Uni.createFrom().item("answer")).await().atMost(Duration.ofSeconds(1));
    }

    @Test
    void aFirstAttemptAnsweredHasNoEarlierAttemptThatMayHaveActed() {
        attemptAnswers();
        assertEquals(UpstreamOutcome.answered(201, false), OutcomeClassifier.answered(201, attempts));
    }

    @Test
    void anAnswerAfterAnAttemptThatReachedTheProviderSaysAnEarlierOneMayHaveActed() {
        attemptEndsWith(new UpstreamServerError(new ProviderAnswer(503, java.util.Map.of(), new byte[0])));
        attemptAnswers();
        assertEquals(UpstreamOutcome.answered(201, true), OutcomeClassifier.answered(201, attempts));
    }

    @ParameterizedTest
    @ValueSource(
            classes = {
                ConnectException.class,
                UnknownHostException.class,
                NoRouteToHostException.class,
                CircuitBreakerOpenException.class,
                BulkheadException.class,
                AttemptLog.DeadlinePassed.class
            })
    void failuresBeforeSendingAreNotSent(Class<? extends Throwable> kind) throws Exception {
        Throwable failure = kind.getDeclaredConstructor().newInstance();
        attemptEndsWith(failure);
        assertEquals(UpstreamOutcome.notSent(false), OutcomeClassifier.failed(failure, attempts));
    }

    @Test
    void notSentNowAfterAnAttemptThatReachedTheProviderSaysAnEarlierOneMayHaveActed() {
        attemptEndsWith(new ProviderFailures.ConnectionClosed());
        attemptEndsWith(new ConnectException());
        assertEquals(UpstreamOutcome.notSent(true), OutcomeClassifier.failed(new ConnectException(), attempts));
    }

    @Test
    void aConnectionClosedAfterSendingIsUnknown() {
        ProviderFailures.ConnectionClosed closed = new ProviderFailures.ConnectionClosed();
        attemptEndsWith(closed);
        assertEquals(UpstreamOutcome.unknown(), OutcomeClassifier.failed(closed, attempts));
    }

    @Test
    void aBrokenAnswerIsUnknownEvenWhenNoAttemptIsCounted() {
        assertEquals(UpstreamOutcome.unknown(), OutcomeClassifier.failed(new IOException("malformed"), attempts));
    }

    @Test
    void aDeadlineWithNothingSentIsNotSent() {
        attemptEndsWith(new ConnectException());
        attempts.close();
        assertEquals(UpstreamOutcome.notSent(false), OutcomeClassifier.failed(new TimeoutException(), attempts));
    }

    @Test
    void aDeadlineAfterAnAttemptThatReachedTheProviderIsUnknown() {
        attemptEndsWith(new ProviderFailures.ConnectionClosed());
        attempts.close();
        assertEquals(UpstreamOutcome.unknown(), OutcomeClassifier.failed(new TimeoutException(), attempts));
    }
}
