package io.tokengateway.upstream;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tokengateway.flow.Operation;
import io.tokengateway.metrics.CounterFamily;

/**
 * {@code gateway_upstream_latency_seconds{merchant,operation,status}} (histogram; status is the answer's
 * status class or the failure kind) and {@code gateway_upstream_retries_total{merchant,operation}}.
 */
@Singleton
public class UpstreamMetrics {

    private record Tags(String merchant, Operation operation, String status) {}

    private final MeterRegistry registry;
    private final Map<Tags, Timer> latencies = new ConcurrentHashMap<>();

    private final CounterFamily retries;

    UpstreamMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.retries = new CounterFamily(registry, "gateway.upstream.retries", "merchant", "operation");
    }

    void latency(String merchantId, Operation operation, String status, long nanos) {
        latencies
                .computeIfAbsent(new Tags(merchantId, operation, status), this::timer)
                .record(Duration.ofNanos(nanos));
    }

    /** Built once per tag set: the labels are configured ids and fixed names, so there are few. */
    private Timer timer(Tags tags) {
        return Timer.builder("gateway.upstream.latency")
                .tags("merchant", tags.merchant(), "operation", tags.operation().id(), "status", tags.status())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    void retries(String merchantId, Operation operation, int count) {
        if (count > 0) {
            retries.counter(merchantId, operation.id()).increment(count);
        }
    }
}
