package io.tokengateway.pipeline;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.merchant.Merchant;

/**
 * {@code gateway_requests_seconds{merchant,operation,outcome}} (count and latency histogram) for every
 * request, including those turned away before they became an operation ({@code operation="none"}).
 * Outcome is the rejecting error code ({@code RATE_LIMITED}, ...), or, when the request was allowed,
 * {@code replayed} or the answer's status class ({@code 2xx}, {@code 4xx}, ...). Labels come from
 * configured ids and fixed names only, never from request data, so the set of timers is small and each
 * is built once. (The HTTP layer's own per-URI server metrics are off: a URI holds a customer token.)
 */
@Singleton
public class RequestMetrics {

    private static final String NONE = "none";

    private record Tags(String merchant, String operation, String outcome) {}

    private final MeterRegistry registry;
    private final Map<Tags, Timer> timers = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(Exchange exchange, GatewayResponse response) {
        String merchant = exchange.fact(Merchant.FACT).map(Merchant::id).orElse(NONE);
        String outcome = exchange.rejection()
                .map(rejection -> rejection.error().name())
                .orElseGet(() -> exchange.replayed() ? "replayed" : response.status() / 100 + "xx");
        timer(new Tags(merchant, exchange.operation().id(), outcome))
                .record(Duration.ofNanos(System.nanoTime() - exchange.startNanos()));
    }

    void recordUnmatched(GatewayError error) {
        // Answered at once by the HTTP layer: counted, with no meaningful latency of the gateway's own.
        timer(new Tags(NONE, NONE, error.name())).record(Duration.ZERO);
    }

    private Timer timer(Tags tags) {
        return timers.computeIfAbsent(tags, this::build);
    }

    private Timer build(Tags tags) {
        return Timer.builder("gateway.requests")
                .tags("merchant", tags.merchant(), "operation", tags.operation(), "outcome", tags.outcome())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }
}
