package io.tokengateway.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokengateway.error.GatewayError;
import io.vertx.core.buffer.Buffer;

/** A caller told 503 always learns when to retry; other errors carry no such promise. */
class GatewayResponseTest {

    @Test
    void every503SaysWhenToRetry() {
        for (GatewayError error : GatewayError.values()) {
            GatewayResponse response = GatewayResponse.error(new StepResult.Reject(error, "message"), "corr-1");
            if (error.status() == 503) {
                assertEquals("1", response.headers().get("Retry-After"), error.name());
            } else {
                assertFalse(response.hasHeader("Retry-After"), error.name());
            }
        }
    }

    @Test
    void aRetryAfterTheCauseNamesIsKept() {
        GatewayResponse circuitOpen = GatewayResponse.error(
                new StepResult.Reject(
                        GatewayError.UPSTREAM_UNAVAILABLE, List.of("circuit open"), Map.of("retry-after", "7")),
                "corr-2");
        assertEquals("7", circuitOpen.headers().get("retry-after"));
        assertEquals(
                1,
                circuitOpen.headers().keySet().stream()
                        .filter("Retry-After"::equalsIgnoreCase)
                        .count());
    }

    @Test
    void aProvider503PassedThroughWithoutRetryAfterGetsTheDefault() {
        GatewayResponse response =
                GatewayResponse.passedThrough(503, Map.of("Klarna-Correlation-Id", "c-1"), Buffer.buffer("{}"));
        assertEquals(Map.of("Klarna-Correlation-Id", "c-1", "Retry-After", "1"), response.headers());
    }

    @Test
    void aProvidersOwnRetryAfterIsKept() {
        GatewayResponse response = GatewayResponse.passedThrough(503, Map.of("retry-after", "30"), Buffer.buffer("{}"));
        assertEquals(Map.of("retry-after", "30"), response.headers());
    }

    @Test
    void otherProviderAnswersAreLeftAsSent() {
        assertEquals(
                Map.of(),
                GatewayResponse.passedThrough(502, Map.of(), Buffer.buffer()).headers());
        assertEquals(
                Map.of(),
                GatewayResponse.passedThrough(200, Map.of(), Buffer.buffer()).headers());
    }
}
