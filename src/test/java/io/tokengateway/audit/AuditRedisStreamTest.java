package io.tokengateway.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokengateway.audit.verify.AuditChainVerifier;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.InjectRedisServer;
import io.tokengateway.testing.RedisServer;
import io.vertx.core.json.JsonObject;

/** The Redis Stream sink: every record added in seq order, by the time the answer arrives, and the stream verifies. */
@QuarkusTest
@TestProfile(AuditRedisStreamTest.WithStream.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditRedisStreamTest {

    public static class WithStream implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.audit.sink", "redis-stream", "gateway.audit.redis-stream.key", "tg:audit:test");
        }
    }

    @Inject
    RedisDataSource redis;

    @Inject
    AuditService service;

    List<String> stream() {
        List<String> records = new ArrayList<>();
        for (StreamMessage<String, String, String> m :
                redis.stream(String.class).xrange("tg:audit:test", StreamRange.of("-", "+"))) {
            records.add(m.payload().get("record"));
        }
        return records;
    }

    @InjectRedisServer
    RedisServer redisServer;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Test
    @Order(1)
    void recordsAreInTheStreamInSeqOrderWhenTheAnswerArrivesAndVerify() {
        for (int i = 0; i < 8; i++) {
            Calls.as("orders-team", "main-shop")
                    .header("X-Correlation-Id", "stream-" + i)
                    .get("/customer-token/v1/tokens/{t}", "kct-stream-1")
                    .then()
                    .statusCode(200);
            String id = "stream-" + i;
            assertTrue(
                    stream().stream().anyMatch(r -> r.contains("\"correlation_id\":\"" + id + "\"")),
                    "record of " + id + " not there yet");
        }
        assertTrue(service.checkpointNow(Duration.ofSeconds(10)));
        List<String> records = stream();
        for (int i = 0; i < records.size(); i++) {
            assertEquals(i + 1, new JsonObject(records.get(i)).getLong("seq"));
        }
        List<AuditChainVerifier.Line> lines = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            lines.add(new AuditChainVerifier.Line("stream", i + 1, records.get(i)));
        }
        List<String> stored = redis.sortedSet(String.class).zrange(RedisCheckpoints.key(service.instance()), 0, -1);
        assertEquals(
                List.of(),
                AuditChainVerifier.verify(lines, service.publicKey(), Map.of(service.instance(), stored), false)
                        .breaks());
    }

    /**
     * A Redis Stream sink fails for every replica alike, like Redis itself: each request is answered 503 with
     * {@code Retry-After}, and readiness stays UP (the sink's state in the details), so the replica stays in the
     * Service.
     */
    @Test
    @Order(2)
    void aFailingStreamSinkIsAnsweredPerRequestAndKeepsTheReplicaReady() {
        redisServer.stop();
        try {
            Calls.as("orders-team", "main-shop")
                    .get("/customer-token/v1/tokens/{t}", "kct-stream-2")
                    .then()
                    .statusCode(503)
                    .header("Retry-After", "1")
                    .body("error_code", is("DEPENDENCY_UNAVAILABLE"));
            given().get(ready)
                    .then()
                    .statusCode(200)
                    .body("checks.find { it.name == 'audit-trail' }.data.writing", is(false));
        } finally {
            redisServer.start();
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .until(() -> Calls.as("orders-team", "main-shop")
                                .get("/customer-token/v1/tokens/{t}", "kct-stream-3")
                                .statusCode()
                        == 200);
    }
}
