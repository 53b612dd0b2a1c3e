package io.tokengateway.idempotency;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.ScriptCall;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.tokengateway.flow.testkit.Rounds;
import io.tokengateway.flow.testkit.TestConfig;
import io.vertx.core.buffer.Buffer;

/** {@code gateway.idempotency.replica-acks}: which claim the step asks for, and what it does with one not replicated. */
class ReplicaAcksStepTest {

    private IdempotencyStep step(Map<String, String> config) {
        return new IdempotencyStep(
                new IdempotencyStore(IdempotencyStepTest.SEAL),
                new IdempotencyMetrics(new SimpleMeterRegistry()),
                TestConfig.gateway(config));
    }

    private static Exchange order() {
        return ExchangeBuilder.createOrder("{\"order_amount\":1}")
                .token("token-a")
                .idempotencyKey("k1")
                .caller("orders-team")
                .merchant(ExchangeBuilder.merchant("main-shop"))
                .build();
    }

    @Test
    void byDefaultAClaimWaitsForNoReplica() {
        ScriptCall claim = step(Map.of()).admission(order()).orElseThrow();
        assertEquals(0, claim.replicas());
    }

    @Test
    void aClaimEnoughReplicasHoldIsForwarded() {
        IdempotencyStep step = step(Map.of("idempotency.replica-acks", "1"));
        Exchange exchange = order();
        Rounds.replied(exchange, 1, List.of(step), List.of(1L));
        ScriptCall claim = exchange.require(io.tokengateway.flow.Admission.FACT).call(IdempotencyStore.CLAIM);
        assertEquals(1, claim.replicas());
        assertEquals(500, claim.replicaTimeout().toMillis(), "waits as long as the Redis timeout by default");
        assertThat(step.onRequest(exchange)).continues();
        assertTrue(exchange.fact(IdempotencyClaim.FACT).isPresent());
    }

    @Test
    void aClaimTooFewReplicasHoldIsReleasedAndNotForwarded() {
        IdempotencyStep step = step(Map.of("idempotency.replica-acks", "2", "idempotency.replica-ack-timeout", "50ms"));
        Exchange exchange = order();
        Rounds.replied(exchange, 1, List.of(step), List.of(1L));
        assertEquals(
                50,
                exchange.require(io.tokengateway.flow.Admission.FACT)
                        .call(IdempotencyStore.CLAIM)
                        .replicaTimeout()
                        .toMillis());
        assertThat(step.onRequest(exchange)).rejectsWith(GatewayError.DEPENDENCY_UNAVAILABLE);
        assertEquals(
                "release.lua",
                step.settlement(exchange, new GatewayResponse(503, Map.of(), Buffer.buffer()))
                        .orElseThrow()
                        .part()
                        .name(),
                "released on the way out, before the 503 leaves");
    }

    @Test
    void aWaitWithoutTimeoutIsRefusedAtStart() {
        // WAIT n 0 would block the connection for good.
        assertThrows(
                IllegalArgumentException.class,
                () -> step(Map.of("idempotency.replica-acks", "1", "idempotency.replica-ack-timeout", "0s")));
        assertThrows(IllegalArgumentException.class, () -> step(Map.of("idempotency.replica-acks", "-1")));
    }
}
