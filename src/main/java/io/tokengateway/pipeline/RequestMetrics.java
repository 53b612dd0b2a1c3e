package io.tokengateway.pipeline;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@code gateway_requests_seconds{merchant,operation,outcome}} (count and latency histogram) for every
 * request through the pipeline. Outcome is the rejecting error code ({@code RATE_LIMITED}, ...), or, when
 * the request was allowed, {@code replayed} or the answer's status class ({@code 2xx}, {@code 4xx}, ...).
 * Labels come from configured ids and fixed names only, never from request data.
 */
@ApplicationScoped
public class RequestMetrics {

    private final MeterRegistry registry;

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(Exchange exchange, GatewayResponse response) {
        String merchant = exchange.merchant() == null ? "none" : exchange.merchant().id();
        String outcome = exchange.rejection() != null ? exchange.rejection().error().name()
                : response.hasHeader("Idempotent-Replayed") ? "replayed" : response.status() / 100 + "xx";
        Timer.builder("gateway.requests")
                .tags("merchant", merchant, "operation", exchange.operation().id(), "outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(Duration.ofNanos(System.nanoTime() - exchange.startNanos()));
    }
}
