package io.tokengateway.redis;

import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.InjectRedisServer;
import io.tokengateway.testing.LogCapture;
import io.tokengateway.testing.Metrics;
import io.tokengateway.testing.RedisServer;
import io.tokengateway.testing.RedisServerResource;
import io.tokengateway.testing.WrittenOutput;

/**
 * A Redis that requires a password ({@code redis-server --requirepass}), and the gateway given it as
 * {@code quarkus.redis.password}: reads and orders work as on an open Redis (limits, idempotency), and the
 * password appears in no output. {@link RedisCredentialsRefusedTest} logs in as an ACL user named in the URL.
 */
@QuarkusTest
@TestProfile(RedisPasswordTest.Locked.class)
class RedisPasswordTest {

    static final String PASSWORD = "redis-pw-" + UUID.randomUUID();

    public static class Locked implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisServerResource.class, Map.of("requirepass", PASSWORD)));
        }
    }

    @Inject
    SandboxServer sandbox;

    @InjectRedisServer(requiringPassword = true)
    RedisServer redis;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void readsAndOrdersWorkWithThePasswordAndNothingPrintsIt() {
        sandbox.reset();
        String token = "kct-locked-" + UUID.randomUUID();
        String key = "locked-" + UUID.randomUUID();
        WrittenOutput written = WrittenOutput.from(WrittenOutput.GATEWAY_LOG);
        try (LogCapture log = LogCapture.open()) {
            Calls.as("orders-team", "main-shop")
                    .get("/customer-token/v1/tokens/{t}", token)
                    .then()
                    .statusCode(200)
                    .header("RateLimit", org.hamcrest.Matchers.notNullValue()); // decided by Redis, not a fallback
            for (int i = 0; i < 2; i++) {
                Calls.as("orders-team", "main-shop")
                        .header("Klarna-Idempotency-Key", key)
                        .contentType(ContentType.JSON)
                        .body(RedisFaultTest.ORDER)
                        .post("/customer-token/v1/tokens/{t}/order", token)
                        .then()
                        .statusCode(200)
                        .header("Idempotent-Replayed", i == 0 ? nullValue() : is("true"));
            }
            assertFalse(log.all().contains(PASSWORD));
        }
        assertEquals(2, sandbox.received().size(), "one read, one order: the retry was replayed from Redis");
        // the claim went into the password-protected Redis
        assertEquals(
                1L, redis.call("EXISTS", io.tokengateway.idempotency.IdempotencyStore.recordKey("main-shop", key)));
        assertFalse(written.sinceStart().contains(PASSWORD));
        assertFalse(Metrics.scrape(metrics).contains(PASSWORD));
    }
}
