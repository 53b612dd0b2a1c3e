package io.tokengateway.policy;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code gateway_policy_info{version}}: 1, labelled with the version in force (one series at a time);
 * {@code gateway_policy_reloads_total{result}}: changes {@code applied} and {@code rejected}.
 */
@Singleton
public class PolicyMetrics {

    private final MeterRegistry registry;
    private final Counter applied;
    private final Counter rejected;
    private Gauge info;

    PolicyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.applied = registry.counter("gateway.policy.reloads", "result", "applied");
        this.rejected = registry.counter("gateway.policy.reloads", "result", "rejected");
    }

    /** The policy in force from now on: at start, and after each applied change. */
    synchronized void inForce(String version, boolean change) {
        if (info != null) {
            registry.remove(info);
        }
        info = Gauge.builder("gateway.policy.info", () -> 1)
                .tag("version", version)
                .register(registry);
        if (change) {
            applied.increment();
        }
    }

    void rejected() {
        rejected.increment();
    }
}
