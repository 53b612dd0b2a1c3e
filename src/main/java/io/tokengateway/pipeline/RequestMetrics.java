package io.tokengateway.pipeline;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@code gateway_requests_seconds{merchant,operation,outcome}} (count and latency histogram) for every
 * request through the pipeline. Outcome is the rejecting error code ({@code RATE_LIMITED}, ...), or, when
 * the request was allowed, {@code replayed} or the answer's status class ({@code 2xx}, {@code 4xx}, ...).
 * Labels come from configured ids and fixed names only, never from request data, so the set of timers is
 * small and each is built once.
 */
@ApplicationScoped
public class RequestMetrics {

    private record Tags(String merchant, Operation operation, String outcome) {
    }

    private final MeterRegistry registry;
    private final Map<Tags, Timer> timers = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(Exchange exchange, GatewayResponse response) {
        String merchant = exchange.merchant() == null ? "none" : exchange.merchant().id();
        String outcome = exchange.rejection() != null ? exchange.rejection().error().name()
                : response.hasHeader("Idempotent-Replayed") ? "replayed" : response.status() / 100 + "xx";
        timers.computeIfAbsent(new Tags(merchant, exchange.operation(), outcome), this::timer)
                .record(Duration.ofNanos(System.nanoTime() - exchange.startNanos()));
    }

    private Timer timer(Tags tags) {
        return Timer.builder("gateway.requests")
                .tags("merchant", tags.merchant(), "operation", tags.operation().id(), "outcome", tags.outcome())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }
}
