package io.tokengateway.upstream;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tokengateway.sandbox.RecordedRequest;
import io.tokengateway.sandbox.SandboxFault;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.Metrics;

/** Timeouts, the per-merchant circuit breaker and bulkhead, and retries only where they are safe. */
@QuarkusTest
@TestProfile(ResilienceTest.Profile.class)
class ResilienceTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(Map.of(
                    "gateway.upstream.timeout", "1s",
                    "gateway.upstream.retry.initial-backoff", "10ms",
                    "gateway.upstream.retry.max-backoff", "50ms",
                    "gateway.upstream.circuit-breaker.request-volume-threshold", "4",
                    "gateway.upstream.circuit-breaker.failure-ratio", "0.5",
                    "gateway.upstream.circuit-breaker.delay", "1s",
                    "gateway.upstream.circuit-breaker.success-threshold", "1",
                    "gateway.upstream.bulkhead.max-concurrent", "2",
                    "gateway.upstream.bulkhead.queue", "1"));
            // One merchant per test: each has its own circuit breaker and bulkhead, and failures must not leak across
            // tests.
            for (String merchant : List.of("r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10")) {
                config.put(
                        "gateway.merchants." + merchant + ".base-url",
                        merchant.equals("r4") ? "http://127.0.0.1:1" : "http://127.0.0.1:${gateway.sandbox.port}");
                config.put("gateway.merchants." + merchant + ".username", "sandbox-main-shop");
                config.put("gateway.merchants." + merchant + ".password", "main-shop-secret-Zq7");
                config.put("gateway.merchants." + merchant + ".idempotency-required", "false");
            }
            config.put("gateway.callers.team-r.merchants", "r1,r2,r3,r4,r5,r6,r7,r8,r9,r10");
            config.put("gateway.callers.team-r.operations", "read-token,create-order,cancel-token");
            return config;
        }
    }

    static final String ORDER = "{\"purchase_currency\":\"EUR\",\"order_amount\":2500,\"order_tax_amount\":0,"
            + "\"order_lines\":[{\"name\":\"Shoe\",\"quantity\":1,\"unit_price\":2500,\"total_amount\":2500}]}";

    @Inject
    SandboxServer sandbox;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @BeforeEach
    void resetSandbox() {
        sandbox.reset();
    }

    static Response read(String merchant, String token) {
        return Calls.as("team-r", merchant).when().get("/customer-token/v1/tokens/{t}", token);
    }

    static Response order(String merchant, String key) {
        var spec = Calls.as("team-r", merchant);
        if (key != null) {
            spec = spec.header("Klarna-Idempotency-Key", key);
        }
        return spec.contentType(ContentType.JSON)
                .body(ORDER)
                .when()
                .post("/customer-token/v1/tokens/{t}/order", "kct-res-1");
    }

    @Test
    void aSlowProviderIsAnsweredWithinTheTimeoutPlusASmallMargin() {
        long start = System.nanoTime();
        read("r5", "slow-3000-t1").then().statusCode(504).body("error_code", is("UPSTREAM_TIMEOUT"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofMillis(1900)) < 0, "answered after " + took + " for a 1 s timeout");
        assertEquals(1, sandbox.received().size(), "a timed-out call is never retried");
    }

    @Test
    void theCircuitOpensShortCircuitsAndClosesAgain() {
        sandbox.enqueue(SandboxFault.status(500), 4);
        for (int i = 0; i < 4; i++) {
            read("r1", "kct-cb-1").then().statusCode(500);
        }
        assertEquals(4, sandbox.received().size());
        read("r1", "kct-cb-1")
                .then()
                .statusCode(503)
                .body("error_code", is("UPSTREAM_UNAVAILABLE"))
                .header("Retry-After", is("1"));
        assertEquals(4, sandbox.received().size(), "an open circuit does not call the provider");
        Metrics.assertSeries(metrics, "gateway_upstream_circuit_state{merchant=\"r1\"} 2.0");
        // Other merchants are not affected.
        read("r3", "kct-cb-1").then().statusCode(200);
        // After the delay a probe goes through, succeeds, and the circuit closes.
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> read("r1", "kct-cb-1").statusCode() == 200);
        read("r1", "kct-cb-1").then().statusCode(200);
        Metrics.assertSeries(metrics, "gateway_upstream_circuit_state{merchant=\"r1\"} 0.0");
    }

    @Test
    void aReadIsRetriedOnA503() {
        sandbox.enqueue(SandboxFault.status(503));
        read("r6", "kct-retry-1").then().statusCode(200);
        assertEquals(2, sandbox.received().size());
    }

    @Test
    void a429IsPassedBackWithItsRetryAfterAndNeverRetried() {
        sandbox.enqueue(SandboxFault.status(429));
        read("r7", "kct-retry-2").then().statusCode(429).header("Retry-After", is("2"));
        assertEquals(1, sandbox.received().size());
    }

    @Test
    void a500IsNotRetried() {
        sandbox.enqueue(SandboxFault.status(500));
        read("r8", "kct-retry-3").then().statusCode(500);
        assertEquals(1, sandbox.received().size());
    }

    @Test
    void anOrderWithoutAKeyIsNotRetriedOnceItMayHaveReachedTheProvider() {
        sandbox.enqueue(SandboxFault.status(503));
        // The provider's 503 (it sent no Retry-After) is passed through with the gateway's default Retry-After.
        order("r9", null)
                .then()
                .statusCode(503)
                .body("error_code", is("SANDBOX_FAULT"))
                .header("Retry-After", is("1"));
        assertEquals(1, sandbox.received().size());

        sandbox.reset();
        sandbox.enqueue(SandboxFault.closeConnection());
        Calls.as("team-r", "r9")
                .contentType(ContentType.JSON)
                .body("{\"status\":\"CANCELLED\"}")
                .when()
                .patch("/customer-token/v1/tokens/{t}/status", "kct-res-2")
                .then()
                .statusCode(502);
        assertEquals(1, sandbox.received().size());
    }

    @Test
    void anOrderWithAKeyIsRetriedAndTheProviderSeesTheSameKey() {
        String key = UUID.randomUUID().toString();
        sandbox.enqueue(SandboxFault.status(503));
        order("r10", key).then().statusCode(200);
        List<RecordedRequest> upstream = sandbox.received();
        assertEquals(2, upstream.size());
        upstream.forEach(r -> assertEquals(key, r.header("Klarna-Idempotency-Key")));
    }

    @Test
    void anOrderIsRetriedWhenTheConnectionWasRefusedBecauseNothingWasSent() {
        order("r4", null).then().statusCode(503).body("error_code", is("UPSTREAM_UNAVAILABLE"));
        Metrics.assertSeries(metrics, "gateway_upstream_retries_total{merchant=\"r4\",operation=\"create-order\"} 2.0");
    }

    @Test
    void aSlowMerchantCannotDelayAnother() {
        // r2's provider answers in 0.8 s; its bulkhead admits 2 calls and queues 1: a fourth is turned away at once.
        // The queued call waits 0.8 s for a slot and then needs 0.8 s more: past the 1 s deadline, which covers
        // time in the queue too, so it is answered 504 rather than left hanging.
        List<CompletableFuture<Integer>> slow = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            slow.add(
                    CompletableFuture.supplyAsync(() -> read("r2", "slow-800-b").statusCode()));
        }
        // Two calls with the provider and the third queued in r2's bulkhead: only then is it full.
        Awaitility.await()
                .atMost(Duration.ofSeconds(2))
                .until(() -> sandbox.received().size() >= 2
                        && Metrics.scrape(metrics).contains("gateway_upstream_bulkhead_waiting{merchant=\"r2\"} 1.0"));
        long start = System.nanoTime();
        read("r2", "slow-800-b")
                .then()
                .statusCode(503)
                .body("error_code", is("UPSTREAM_UNAVAILABLE"))
                .header("Retry-After", is("1"));
        read("r3", "kct-fast-1").then().statusCode(200);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofMillis(700)) < 0, "the other merchant waited " + took);
        assertEquals(
                List.of(200, 200, 504),
                slow.stream().map(CompletableFuture::join).sorted().toList());
    }
}
