package io.tokengateway.idempotency;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code gateway_idempotency_total{merchant, outcome}}: claimed, replayed, in_use (409), reused (422),
 * legacy (422 for a record of an earlier version), stored, released, lost (the lease had expired at
 * completion), store_failed, release_failed, redis_unavailable. Labels are
 * configured merchant ids and fixed outcome names only, never request data.
 */
@ApplicationScoped
public class IdempotencyMetrics {

    private final MeterRegistry registry;

    IdempotencyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(String merchantId, String outcome) {
        registry.counter("gateway.idempotency", "merchant", merchantId, "outcome", outcome).increment();
    }
}
