package io.tokengateway.limit;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.InjectRedisServer;
import io.tokengateway.testing.RedisServer;

/** {@code gateway.rate-limit.on-redis-failure=closed}: with Redis stopped, 503 and nothing upstream; then recovery. */
@QuarkusTest
@TestProfile(RateLimitFailClosedTest.FailClosed.class)
class RateLimitFailClosedTest {

    public static class FailClosed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.rate-limit.on-redis-failure", "closed");
        }
    }

    @Inject
    SandboxServer sandbox;

    @InjectRedisServer
    RedisServer redis;

    static int read() {
        return Calls.as("limits-team", "rate-limited-shop")
                .when()
                .get(Calls.READ_TOKEN, "kct-redis-policy")
                .statusCode();
    }

    @Test
    void everyRequestIs503AndNothingReachesTheUpstreamUntilRedisReturns() {
        sandbox.reset();
        redis.stop();
        try {
            Calls.as("limits-team", "rate-limited-shop")
                    .when()
                    .get(Calls.READ_TOKEN, "kct-redis-policy")
                    .then()
                    .statusCode(503)
                    .body("error_code", is("DEPENDENCY_UNAVAILABLE"));
            assertTrue(sandbox.received().isEmpty());
        } finally {
            redis.start();
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> read() == 200);
    }
}
