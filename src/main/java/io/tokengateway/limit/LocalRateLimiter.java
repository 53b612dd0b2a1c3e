package io.tokengateway.limit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The same GCRA as {@code rate_limit.lua}, in this replica's memory: the fallback while Redis is
 * unreachable ({@code gateway.rate-limit.on-redis-failure=local}). It knows nothing of other replicas, so
 * each replica then allows the merchant's whole budget.
 */
@Singleton
public class LocalRateLimiter {

    private final Map<String, AtomicLong> theoreticalArrival = new ConcurrentHashMap<>();
    private final LongSupplier clockMicros;

    @Inject
    LocalRateLimiter() {
        this(() -> System.nanoTime() / 1_000);
    }

    LocalRateLimiter(LongSupplier clockMicros) {
        this.clockMicros = clockMicros;
    }

    public RateDecision check(String merchantId, LimitPolicy policy) {
        AtomicLong tat = theoreticalArrival.computeIfAbsent(merchantId, id -> new AtomicLong(Long.MIN_VALUE));
        long interval = policy.emissionIntervalMicros();
        long capacity = policy.burst() * interval;
        while (true) {
            long now = clockMicros.getAsLong();
            long current = tat.get();
            long start = Math.max(current, now);
            long ahead = start + interval - now;
            if (ahead > capacity) {
                return new RateDecision(false, 0, ahead - capacity, start - now);
            }
            if (tat.compareAndSet(current, start + interval)) {
                return new RateDecision(true, (capacity - ahead) / interval, 0, ahead);
            }
        }
    }
}
