package io.tokengateway.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.redis.RedisAvailability;

/**
 * Redis's state in the readiness details ({@code "redis": "UP"} or {@code "DOWN"}), never the readiness
 * itself: Redis is shared by every replica, so taking this one out of the Service would only turn the
 * gateway's own 503 {@code DEPENDENCY_UNAVAILABLE} (with {@code Retry-After}) and the reads its local
 * rate-limit fallback can serve into connection errors. Quarkus' own Redis check is off
 * ({@code quarkus.redis.health.enabled=false}) for that reason. One {@code PING}, non-blocking, bounded by
 * {@code gateway.redis.timeout}; its result also feeds {@code gateway_redis_up}.
 */
@Readiness
@ApplicationScoped
public class RedisReport implements AsyncHealthCheck {

    private final ReactiveRedisDataSource redis;
    private final RedisAvailability availability;
    private final Duration timeout;

    RedisReport(ReactiveRedisDataSource redis, RedisAvailability availability, GatewayConfig config) {
        this.redis = redis;
        this.availability = availability;
        this.timeout = config.redis().timeout();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return redis.execute("PING")
                .ifNoItem()
                .after(timeout)
                .fail()
                .map(pong -> {
                    availability.answered();
                    return report("UP");
                })
                .onFailure()
                .recoverWithItem(failure -> {
                    availability.unavailable();
                    return report("DOWN");
                });
    }

    private static HealthCheckResponse report(String state) {
        // UP whatever Redis says: the state is data for operators, not a reason to leave the Service.
        return HealthCheckResponse.named("redis")
                .up()
                .withData("redis", state)
                .withData("affects-readiness", false)
                .build();
    }
}
