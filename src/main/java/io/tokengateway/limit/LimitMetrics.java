package io.tokengateway.limit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokengateway.metrics.CounterFamily;

/**
 * Limit metrics per merchant: {@code gateway_rate_limit_total{merchant,outcome}} (allowed, limited,
 * shadow_limited, local_fallback, open_fallback, unavailable), {@code gateway_rate_limit_remaining{merchant}},
 * and {@code gateway_amount_limit_total{merchant,outcome}} (allowed, currency_not_allowed, over_max_amount,
 * over_daily_amount, shadow_limited, refunded, unavailable). Labels are configured merchant ids and fixed
 * outcome names only.
 */
@Singleton
public class LimitMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> remaining = new ConcurrentHashMap<>();
    private final CounterFamily rate;
    private final CounterFamily amount;

    LimitMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.rate = new CounterFamily(registry, "gateway.rate_limit", "merchant", "outcome");
        this.amount = new CounterFamily(registry, "gateway.amount_limit", "merchant", "outcome");
    }

    void rate(String merchantId, String outcome) {
        rate.counter(merchantId, outcome).increment();
    }

    void remaining(String merchantId, long value) {
        remaining
                .computeIfAbsent(
                        merchantId,
                        id -> registry.gauge(
                                "gateway.rate_limit.remaining",
                                io.micrometer.core.instrument.Tags.of("merchant", id),
                                new AtomicLong()))
                .set(value);
    }

    void amount(String merchantId, String outcome) {
        amount.counter(merchantId, outcome).increment();
    }
}
