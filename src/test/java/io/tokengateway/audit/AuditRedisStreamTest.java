package io.tokengateway.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokengateway.testing.Tokens;

/** The optional Redis Stream sink receives every sealed record, and the stream stays bounded. */
@QuarkusTest
@TestProfile(AuditRedisStreamTest.WithStream.class)
class AuditRedisStreamTest {

    public static class WithStream implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.audit.redis-stream", "tg:audit", "gateway.audit.redis-stream-max-length", "5");
        }
    }

    @Inject
    RedisDataSource redis;

    @Test
    void recordsReachTheStreamWhichStaysBounded() {
        for (int i = 0; i < 8; i++) {
            given().auth().oauth2(Tokens.forCaller("team-a")).header("X-Merchant-Id", "m1")
                    .header("X-Correlation-Id", "stream-" + i)
                    .get("/customer-token/v1/tokens/{t}", "kct-stream-1").then().statusCode(200);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> redis.stream(String.class).xrange("tg:audit",
                io.quarkus.redis.datasource.stream.StreamRange.of("-", "+")).stream()
                .anyMatch(m -> m.payload().get("record").contains("\"correlation_id\":\"stream-7\"")));
        List<StreamMessage<String, String, String>> messages = redis.stream(String.class).xrange("tg:audit",
                io.quarkus.redis.datasource.stream.StreamRange.of("-", "+"));
        assertEquals(5, messages.size());
        // The streamed text is the sealed record itself: its hash matches its content.
        String sealed = messages.get(4).payload().get("record");
        int hashAt = sealed.lastIndexOf(AuditChain.HASH_FIELD);
        assertTrue(hashAt > 0);
        assertEquals(AuditChain.sha256(sealed.substring(0, hashAt) + "}"),
                new io.vertx.core.json.JsonObject(sealed).getString("hash"));
    }
}
