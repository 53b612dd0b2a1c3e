package io.tokengateway.redis;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Whether Redis answered the last time this replica asked (a round or the health report's {@code PING}), for
 * operators: {@code gateway_redis_up} (1 or 0) and {@code gateway_redis_unavailable_total} (rounds and pings
 * Redis did not answer). Redis is shared by every replica, so its state is reported, never a reason to take
 * this replica out of the Service: each request applies its own failure policy.
 */
@Singleton
public class RedisAvailability {

    private final AtomicInteger up = new AtomicInteger(1); // nothing seen yet: no outage to report
    private final Counter unavailable;

    RedisAvailability(MeterRegistry registry) {
        registry.gauge("gateway.redis.up", up);
        this.unavailable = registry.counter("gateway.redis.unavailable");
    }

    /** Redis answered (a script error is an answer too: Redis is there). */
    public void answered() {
        up.set(1);
    }

    /** Redis did not answer in time, refused, or is in a passing state ({@link RedisUnavailableException}). */
    public void unavailable() {
        up.set(0);
        unavailable.increment();
    }

    /** Records what {@code failure} says about Redis and hands it back. */
    RuntimeException saw(RuntimeException failure) {
        if (failure instanceof RedisUnavailableException) {
            unavailable();
        } else {
            answered();
        }
        return failure;
    }

    public boolean up() {
        return up.get() == 1;
    }
}
