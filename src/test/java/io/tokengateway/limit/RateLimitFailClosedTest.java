package io.tokengateway.limit;

import static io.restassured.RestAssured.given;
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
import io.tokengateway.testing.InjectRedisServer;
import io.tokengateway.testing.RedisServer;
import io.tokengateway.testing.Tokens;

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
        return given().auth()
                .oauth2(Tokens.forCaller("limits-team"))
                .header("X-Merchant-Id", "rate-limited-shop")
                .when()
                .get("/customer-token/v1/tokens/{token}", "kct-redis-policy")
                .statusCode();
    }

    @Test
    void everyRequestIs503AndNothingReachesTheUpstreamUntilRedisReturns() {
        sandbox.reset();
        redis.stop();
        try {
            given().auth()
                    .oauth2(Tokens.forCaller("limits-team"))
                    .header("X-Merchant-Id", "rate-limited-shop")
                    .when()
                    .get("/customer-token/v1/tokens/{token}", "kct-redis-policy")
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
