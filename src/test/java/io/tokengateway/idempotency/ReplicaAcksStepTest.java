package io.tokengateway.idempotency;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.tokengateway.flow.testkit.TestConfig;

/** {@code gateway.idempotency.replica-acks}: which claim the step asks for, and what it does with one not replicated. */
class ReplicaAcksStepTest {

    /** Records which claim was asked for and answers with the acknowledgements the test sets. */
    static final class AckingStore extends IdempotencyStore {
        final List<String> calls = new ArrayList<>();
        int acknowledged;

        AckingStore() {
            super(null);
        }

        @Override
        public Uni<ClaimResult> claim(String recordKey, IdempotencyRecord pending, Duration lease) {
            calls.add("claim");
            return Uni.createFrom().item(new ClaimResult.Claimed(new IdempotencyClaim(recordKey, pending)));
        }

        @Override
        public Uni<ClaimResult> claim(
                String recordKey, IdempotencyRecord pending, Duration lease, int replicas, Duration waitTimeout) {
            calls.add("claim, WAIT " + replicas + " " + waitTimeout.toMillis());
            IdempotencyClaim claim = new IdempotencyClaim(recordKey, pending);
            return Uni.createFrom()
                    .item(
                            acknowledged >= replicas
                                    ? new ClaimResult.Claimed(claim)
                                    : new ClaimResult.Unreplicated(claim, acknowledged));
        }

        @Override
        public Uni<Boolean> complete(IdempotencyClaim claim, GatewayResponse answer, Duration retention) {
            calls.add("complete");
            return Uni.createFrom().item(true);
        }

        @Override
        public Uni<Boolean> release(IdempotencyClaim claim) {
            calls.add("release");
            return Uni.createFrom().item(true);
        }
    }

    private final AckingStore store = new AckingStore();

    private IdempotencyStep step(Map<String, String> config) {
        return new IdempotencyStep(
                store, new IdempotencyMetrics(new SimpleMeterRegistry()), TestConfig.gateway(config));
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
        assertThat(step(Map.of()).onRequest(order())).continues();
        assertEquals(List.of("claim"), store.calls);
    }

    @Test
    void aClaimEnoughReplicasHoldIsForwarded() {
        store.acknowledged = 1;
        Exchange exchange = order();
        assertThat(step(Map.of("idempotency.replica-acks", "1")).onRequest(exchange))
                .continues();
        assertTrue(exchange.fact(IdempotencyClaim.FACT).isPresent());
        assertEquals(List.of("claim, WAIT 1 500"), store.calls, "waits as long as the Redis timeout by default");
    }

    @Test
    void aClaimTooFewReplicasHoldIsReleasedAndNotForwarded() {
        store.acknowledged = 1;
        Exchange exchange = order();
        assertThat(step(Map.of("idempotency.replica-acks", "2", "idempotency.replica-ack-timeout", "50ms"))
                        .onRequest(exchange))
                .rejectsWith(GatewayError.DEPENDENCY_UNAVAILABLE);
        assertFalse(exchange.fact(IdempotencyClaim.FACT).isPresent(), "nothing left to settle on the way out");
        assertEquals(List.of("claim, WAIT 2 50", "release"), store.calls);
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
