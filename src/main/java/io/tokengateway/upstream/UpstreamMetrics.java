package io.tokengateway.upstream;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tokengateway.pipeline.Operation;

/**
 * {@code gateway_upstream_latency_seconds{merchant,operation,status}} (histogram; status is the answer's
 * status class or the failure kind) and {@code gateway_upstream_retries_total{merchant,operation}}.
 */
@ApplicationScoped
public class UpstreamMetrics {

    private final MeterRegistry registry;

    UpstreamMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void latency(String merchantId, Operation operation, String status, long nanos) {
        Timer.builder("gateway.upstream.latency")
                .tags("merchant", merchantId, "operation", operation.id(), "status", status)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    void retries(String merchantId, Operation operation, int count) {
        if (count > 0) {
            registry.counter("gateway.upstream.retries", "merchant", merchantId, "operation", operation.id()).increment(count);
        }
    }
}
