package io.tokengateway.redis;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.InjectRedisServer;
import io.tokengateway.testing.LogCapture;
import io.tokengateway.testing.Metrics;
import io.tokengateway.testing.RedisServer;
import io.tokengateway.testing.RedisServerResource;
import io.tokengateway.testing.WrittenOutput;

/**
 * The gateway logs in to a password-protected Redis as an ACL user ({@code quarkus.redis.hosts=redis://host?user=gateway},
 * {@code quarkus.redis.password}) whose password Redis does not accept: a rotation done on one side only. That is an outage, not a fault: orders are
 * answered 503 {@code DEPENDENCY_UNAVAILABLE} without reaching the provider, reads are served by the local
 * rate-limit fallback, and the cause is logged once for the whole outage (and its end once), never the password.
 * Then the rotation procedure of docs/operations.md: the user holds two passwords while the gateways roll over.
 */
@QuarkusTest
@TestProfile(RedisCredentialsRefusedTest.WrongPassword.class)
class RedisCredentialsRefusedTest {

    static final String ADMIN_PASSWORD = "redis-admin-" + UUID.randomUUID();
    static final String GATEWAY_PASSWORD = "redis-gw-" + UUID.randomUUID();
    static final String NEXT_PASSWORD = "redis-gw-next-" + UUID.randomUUID();
    static final String REFUSED = "Redis refused the gateway's credentials";
    static final String ACCEPTED = "Redis accepts the gateway's credentials again";

    public static class WrongPassword implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            // The user "gateway" does not exist yet: Redis refuses the gateway's login from the start.
            return List.of(new TestResourceEntry(
                    RedisServerResource.class,
                    Map.of(
                            "requirepass", ADMIN_PASSWORD,
                            "client-user", "gateway",
                            "client-password", GATEWAY_PASSWORD)));
        }
    }

    @Inject
    SandboxServer sandbox;

    @InjectRedisServer(requiringPassword = true)
    RedisServer redis;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    Response read() {
        return Calls.as("orders-team", "main-shop")
                .get("/customer-token/v1/tokens/{t}", "kct-refused-" + UUID.randomUUID());
    }

    Response order() {
        return Calls.as("orders-team", "main-shop")
                .header("Klarna-Idempotency-Key", "refused-" + UUID.randomUUID())
                .contentType(ContentType.JSON)
                .body(RedisFaultTest.ORDER)
                .post("/customer-token/v1/tokens/{t}/order", "kct-refused-" + UUID.randomUUID());
    }

    @Test
    void aRefusedCredentialIsAnOutageLoggedOnceAndTheRotationProcedureKeepsTheGatewayServing() {
        sandbox.reset();
        WrittenOutput written = WrittenOutput.from(WrittenOutput.GATEWAY_LOG);
        StringBuilder answers = new StringBuilder();
        try (LogCapture log = LogCapture.open()) {
            for (int i = 0; i < 10; i++) {
                Response order = order();
                answers.append(order.asString());
                order.then().statusCode(503).body("error_code", is("DEPENDENCY_UNAVAILABLE"));
                assertTrue(order.header("Retry-After") != null);
                Response read = read();
                answers.append(read.asString());
                read.then().statusCode(200);
            }
            assertEquals(10, sandbox.received().size(), "the reads only: no order reached the provider");
            assertTrue(sandbox.received().stream().allMatch(r -> r.method().equals("GET")));
            assertEquals(1, occurrences(log.all(), REFUSED), log::all);
            assertEquals(0, occurrences(log.all(), "fault"), "an outage, not a fault: " + log.all());

            // The operator gives the user the gateway's password: Redis accepts it, once logged.
            assertEquals(
                    "OK", redis.call("ACL", "SETUSER", "gateway", "on", ">" + GATEWAY_PASSWORD, "~*", "&*", "+@all"));
            order().then().statusCode(200);
            read().then().statusCode(200);

            // Rotation: the user holds both passwords while the gateways move to the next one...
            assertEquals("OK", redis.call("ACL", "SETUSER", "gateway", ">" + NEXT_PASSWORD));
            order().then().statusCode(200);
            // ...and a gateway still on the old one once it is removed is refused again: a new outage, logged once.
            assertEquals("OK", redis.call("ACL", "SETUSER", "gateway", "<" + GATEWAY_PASSWORD));
            redis.call("CLIENT", "KILL", "USER", "gateway");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> order().statusCode() == 503);
            for (int i = 0; i < 5; i++) {
                order().then().statusCode(503);
            }
            assertEquals(2, occurrences(log.all(), REFUSED), log::all);
            assertEquals(1, occurrences(log.all(), ACCEPTED), log::all);

            String everything = log.all() + written.sinceStart() + answers + Metrics.scrape(metrics);
            for (String password : List.of(ADMIN_PASSWORD, GATEWAY_PASSWORD, NEXT_PASSWORD)) {
                assertFalse(everything.contains(password), "a password in the output");
            }
        }
    }

    private static int occurrences(String text, String phrase) {
        int count = 0;
        for (int at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
            count++;
        }
        return count;
    }
}
