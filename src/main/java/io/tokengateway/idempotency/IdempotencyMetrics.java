package io.tokengateway.idempotency;

import java.time.Duration;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tokengateway.metrics.CounterFamily;

/**
 * {@code gateway_idempotency_total{merchant, outcome}}: claimed, replayed, in_use (409), reused (422),
 * legacy (422 for a record of an earlier version), stored, released, lost (the lease had expired at
 * completion), store_failed, release_failed, unreplicated (fewer replicas than
 * {@code gateway.idempotency.replica-acks} acknowledged the claim), redis_unavailable. Labels are configured
 * merchant ids and fixed outcome names only, never request data.
 *
 * <p>{@code gateway_state_seal_failures_total{merchant, reason}}: stored records that failed their seal and were
 * answered 500 ({@code mismatch}: edited, or copied from another key; {@code unsealed}: no seal, while
 * {@code gateway.state.accept-unsealed} is off).
 *
 * <p>{@code gateway_idempotency_claim_seconds}: how long a claim takes (the admission round that carries it, with the
 * rate limit and the amount reservation beside it), replica acknowledgements included, so the
 * price of {@code replica-acks} can be read off a running gateway.
 */
@Singleton
public class IdempotencyMetrics {

    private final MeterRegistry registry;
    private final Timer claims;
    private final CounterFamily outcomes;
    private final CounterFamily sealFailures;

    IdempotencyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.outcomes = new CounterFamily(registry, "gateway.idempotency", "merchant", "outcome");
        this.sealFailures = new CounterFamily(registry, "gateway.state.seal_failures", "merchant", "reason");
        this.claims = Timer.builder("gateway.idempotency.claim")
                .description("Idempotency claims in Redis, replica acknowledgements included")
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1).dividedBy(10))
                .maximumExpectedValue(Duration.ofSeconds(2))
                .register(registry);
    }

    void claimTook(long nanos) {
        claims.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** A stored record that failed its seal: {@code mismatch} or {@code unsealed}. */
    void sealFailed(String merchantId, String reason) {
        sealFailures.counter(merchantId, reason).increment();
    }

    void count(String merchantId, String outcome) {
        outcomes.counter(merchantId, outcome).increment();
    }
}
