package io.tokengateway.flow.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;

import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.StepResult;

/**
 * Fluent assertions on what a step decided: {@code assertThat(step.onRequest(exchange)).continues()},
 * {@code .answers()}, {@code .rejectsWith(GatewayError.FORBIDDEN)}. A step that fails instead of deciding
 * (a bug) fails the assertion with its exception.
 */
public final class StepAssertions {

    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private StepAssertions() {}

    public static ResultAssert assertThat(Uni<StepResult> decision) {
        return new ResultAssert(decision.await().atMost(PATIENCE));
    }

    /** The response a step's way out produced. */
    public static GatewayResponse responseOf(Uni<GatewayResponse> onResponse) {
        return onResponse.await().atMost(PATIENCE);
    }

    public record ResultAssert(StepResult result) {

        public void continues() {
            assertInstanceOf(
                    StepResult.Continue.class, result, () -> "expected the request to continue, got " + result);
        }

        /** Asserts the step answered the request itself, and returns the answer. */
        public GatewayResponse answers() {
            return assertInstanceOf(StepResult.Answer.class, result, () -> "expected an answer, got " + result)
                    .response();
        }

        /** Asserts the step rejected the request with this error, and returns the rejection. */
        public StepResult.Reject rejectsWith(GatewayError error) {
            StepResult.Reject reject =
                    assertInstanceOf(StepResult.Reject.class, result, () -> "expected a rejection, got " + result);
            assertEquals(error, reject.error(), () -> "rejected with " + reject);
            return reject;
        }
    }
}
