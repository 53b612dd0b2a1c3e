package io.tokengateway.idempotency;

import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tokengateway.flow.Operation;
import io.tokengateway.redis.RedisScripts;
import io.tokengateway.redis.TestRounds;
import io.tokengateway.sandbox.RecordedRequest;
import io.tokengateway.sandbox.SandboxFault;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.InjectRedisServer;
import io.tokengateway.testing.RedisServer;
import io.tokengateway.testing.Tokens;
import io.tokengateway.testing.Upstream;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class IdempotencyTest {

    static final String ORDER =
            """
            {"purchase_currency":"EUR","order_amount":2500,"order_tax_amount":500,
             "order_lines":[{"name":"Shoe","quantity":1,"unit_price":2500,"total_amount":2500,
                             "tax_rate":2500,"total_tax_amount":500,"merchant_data":"card 4111 1111 1111 1111"}]}""";

    @Inject
    SandboxServer sandbox;

    @Inject
    IdempotencyStore store;

    @Inject
    RedisScripts scripts;

    @Inject
    RedisDataSource redisData;

    @InjectRedisServer
    RedisServer redis;

    @TestHTTPResource("/")
    URL gateway;

    String token;
    String key;

    @BeforeEach
    void freshKeyAndToken() {
        sandbox.reset();
        token = "kct-idem-" + UUID.randomUUID();
        key = "idem-" + UUID.randomUUID();
    }

    Response order(String caller, String idempotencyKey, String body) {
        return Calls.as(caller, "main-shop")
                .header("Klarna-Idempotency-Key", idempotencyKey)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(Calls.CREATE_ORDER, token);
    }

    @Test
    void aRepeatedOrderIsReplayedByteForByteWithoutCallingTheUpstream() {
        Response first = order("orders-team", key, ORDER);
        first.then().statusCode(200).header("Idempotent-Replayed", nullValue());
        Response second = order("orders-team", key, ORDER);
        second.then()
                .statusCode(200)
                .header("Idempotent-Replayed", is("true"))
                .header("Klarna-Correlation-Id", is(first.header("Klarna-Correlation-Id")))
                .header("Content-Type", is(first.header("Content-Type")));
        assertArrayEquals(first.asByteArray(), second.asByteArray());
        assertEquals(1, sandbox.received().size());
    }

    @Test
    void fiftyConcurrentRequestsWithOneKeyPlaceExactlyOneOrder() {
        sandbox.enqueue(SandboxFault.delay(Duration.ofMillis(400)));
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String bearer = Tokens.forCaller("orders-team");
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(gateway + "customer-token/v1/tokens/" + token + "/order"))
                .header("Authorization", "Bearer " + bearer)
                .header("X-Merchant-Id", "main-shop")
                .header("Klarna-Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ORDER))
                .build();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            inFlight.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> answers =
                inFlight.stream().map(CompletableFuture::join).toList();

        Map<Integer, Long> byStatus =
                answers.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertTrue(
                Set.of(200, 409).containsAll(byStatus.keySet()),
                () -> "statuses " + byStatus + "; first other: "
                        + answers.stream()
                                .filter(a -> a.statusCode() != 200 && a.statusCode() != 409)
                                .map(HttpResponse::body)
                                .findFirst()
                                .orElse(""));
        Set<String> orderIds = answers.stream()
                .filter(a -> a.statusCode() == 200)
                .map(a -> new JsonObject(a.body()).getString("order_id"))
                .collect(Collectors.toSet());
        assertEquals(1, orderIds.size(), () -> "order ids " + orderIds);
        answers.stream().filter(a -> a.statusCode() == 409).forEach(a -> {
            assertEquals("IDEMPOTENCY_KEY_IN_USE", new JsonObject(a.body()).getString("error_code"));
            assertEquals("1", a.headers().firstValue("Retry-After").orElse(null));
        });
        assertEquals(1, sandbox.received().size(), "upstream calls");
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        order("orders-team", key, ORDER).then().statusCode(200);
        order("orders-team", key, ORDER.replace("\"Shoe\"", "\"Boot\""))
                .then()
                .statusCode(422)
                .body("error_code", is("IDEMPOTENCY_KEY_REUSED"));
        assertEquals(1, sandbox.received().size());
    }

    @Test
    void anotherCallerWithTheSameKeyIs422AndSeesNothingOfTheFirstAnswer() {
        Response first = order("orders-team", key, ORDER);
        first.then().statusCode(200);
        String orderId = first.jsonPath().getString("order_id");
        Response other = order("sharing-team", key, ORDER);
        other.then().statusCode(422).body("error_code", is("IDEMPOTENCY_KEY_REUSED"));
        assertFalse(other.asString().contains(orderId));
        assertEquals(1, sandbox.received().size());
    }

    @Test
    void theSameKeyForAnotherCustomerTokenIs422AndNothingOfTheFirstAnswerIsHandedOut() {
        Response first = order("orders-team", key, ORDER);
        first.then().statusCode(200);
        String orderId = first.jsonPath().getString("order_id");
        token = "kct-idem-other-" + UUID.randomUUID();
        Response other = order("orders-team", key, ORDER);
        other.then().statusCode(422).body("error_code", is("IDEMPOTENCY_KEY_REUSED"));
        assertFalse(other.asString().contains(orderId), "customer B was handed customer A's order");
        assertEquals(1, sandbox.received().size(), "nothing may be placed for B under A's key, nor twice for A");
    }

    @Test
    void aCancelWithTheSameKeyForAnotherCustomerTokenIs422AndTheOtherTokenIsNotReportedCancelled() {
        String tokenA = token;
        String tokenB = "kct-idem-other-" + UUID.randomUUID();
        for (String t : List.of(tokenA, tokenB)) {
            Response answer = Calls.as("orders-team", "main-shop")
                    .header("Klarna-Idempotency-Key", key)
                    .contentType(ContentType.JSON)
                    .body("{\"status\":\"CANCELLED\"}")
                    .when()
                    .patch(Calls.CANCEL_TOKEN, t);
            answer.then().statusCode(t.equals(tokenA) ? 202 : 422);
        }
        List<RecordedRequest> upstream = sandbox.received();
        assertEquals(1, upstream.size());
        assertTrue(upstream.get(0).path().contains(tokenA));
    }

    @Test
    void aRecordWrittenBeforeSealingIsRefusedUnlessUnsealedRecordsAreAccepted() {
        // What an earlier version stored: no seal (and here no format field either). SealedRecordsTest replays one
        // with gateway.state.accept-unsealed=true.
        String recordKey = IdempotencyStore.recordKey("main-shop", key);
        JsonObject legacyPending = new JsonObject()
                .put("owner", "old-owner")
                .put("caller", "orders-team")
                .put("operation", "create-order")
                .put(
                        "fingerprint",
                        io.tokengateway.digest.Sha256.hex(ORDER.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        JsonObject legacyFinished = legacyPending
                .copy()
                .put("status", 200)
                .put("headers", new JsonObject().put("Content-Type", "application/json"))
                .put(
                        "body",
                        java.util.Base64.getEncoder().encodeToString("{\"order_id\":\"someone-elses\"}".getBytes()));
        try {
            redisData.value(String.class).set(recordKey, legacyFinished.encode());
            order("orders-team", key, ORDER).then().statusCode(500).body("error_code", is("INTERNAL_ERROR"));
            redisData.value(String.class).set(recordKey, legacyPending.encode());
            order("orders-team", key, ORDER).then().statusCode(500).body("error_code", is("INTERNAL_ERROR"));
        } finally {
            redisData.key().del(recordKey);
        }
        assertTrue(sandbox.received().isEmpty());
    }

    @Test
    void theSameKeyOnAnotherOperationIs422() {
        Calls.as("orders-team", "main-shop")
                .header("Klarna-Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body("{\"status\":\"CANCELLED\"}")
                .when()
                .patch(Calls.CANCEL_TOKEN, token)
                .then()
                .statusCode(202);
        order("orders-team", key, ORDER).then().statusCode(422).body("error_code", is("IDEMPOTENCY_KEY_REUSED"));
    }

    @Test
    void anUpstream5xxReleasesTheKeyAndTheRetryReachesTheProviderWithTheSameKey() {
        sandbox.enqueue(
                SandboxFault.status(503), Upstream.ATTEMPTS); // the provider fails every attempt of the first request
        order("orders-team", key, ORDER).then().statusCode(503);
        order("orders-team", key, ORDER).then().statusCode(200).header("Idempotent-Replayed", nullValue());
        List<RecordedRequest> upstream = sandbox.received();
        assertEquals(Upstream.ATTEMPTS + 1, upstream.size());
        upstream.forEach(r -> assertEquals(key, r.header("Klarna-Idempotency-Key")));
    }

    @Test
    void aDroppedConnectionReleasesTheKeyToo() {
        sandbox.enqueue(SandboxFault.closeConnection(), Upstream.ATTEMPTS);
        order("orders-team", key, ORDER).then().statusCode(502).body("error_code", is("UPSTREAM_ERROR"));
        order("orders-team", key, ORDER).then().statusCode(200);
        assertEquals(Upstream.ATTEMPTS + 1, sandbox.received().size());
    }

    @Test
    void anUpstream4xxIsStoredAndReplayed() {
        token = "unknown-" + UUID.randomUUID();
        Response first = order("orders-team", key, ORDER);
        first.then().statusCode(404).body("error_code", is("TOKEN_NOT_FOUND"));
        order("orders-team", key, ORDER)
                .then()
                .statusCode(404)
                .header("Idempotent-Replayed", is("true"))
                .body(is(first.asString()));
        assertEquals(1, sandbox.received().size());
    }

    @Test
    void cancelTokenWithAKeyIsReplayedToo() {
        for (int i = 0; i < 2; i++) {
            Calls.as("orders-team", "main-shop")
                    .header("Klarna-Idempotency-Key", key)
                    .contentType(ContentType.JSON)
                    .body("{\"status\":\"CANCELLED\"}")
                    .when()
                    .patch(Calls.CANCEL_TOKEN, token)
                    .then()
                    .statusCode(202)
                    .header("Idempotent-Replayed", i == 0 ? nullValue() : is("true"));
        }
        assertEquals(1, sandbox.received().size());
    }

    @Test
    void aMissingKeyIs400WhereTheMerchantRequiresOne() {
        Calls.as("orders-team", "main-shop")
                .contentType(ContentType.JSON)
                .body(ORDER)
                .when()
                .post(Calls.CREATE_ORDER, token)
                .then()
                .statusCode(400)
                .body("error_code", is("IDEMPOTENCY_KEY_REQUIRED"));
        Calls.as("orders-team", "keyless-shop")
                .contentType(ContentType.JSON)
                .body(ORDER)
                .when()
                .post(Calls.CREATE_ORDER, token)
                .then()
                .statusCode(200);
        assertEquals(1, sandbox.received().size());
    }

    @Test
    void aMalformedKeyIs400() {
        for (String bad : new String[] {"k".repeat(256), "clé", ""}) {
            order("orders-team", bad, ORDER).then().statusCode(400).body("error_code", is("BAD_IDEMPOTENCY_KEY"));
        }
        assertTrue(sandbox.received().isEmpty());
    }

    @Test
    void redisDownFailsClosedWithoutCallingTheUpstreamAndTheGatewayRecovers() {
        redis.stop();
        try {
            long start = System.nanoTime();
            order("orders-team", key, ORDER).then().statusCode(503).body("error_code", is("DEPENDENCY_UNAVAILABLE"));
            assertTrue(
                    Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0,
                    "answered promptly");
            assertTrue(sandbox.received().isEmpty());
        } finally {
            redis.start();
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> order("orders-team", key, ORDER).statusCode() == 200);
        assertEquals(1, sandbox.received().size());
    }

    @Test
    void anExpiredLeaseCanNeverOverwriteItsSuccessorsRecord() {
        String recordKey = IdempotencyStore.recordKey("main-shop", key);
        IdempotencyRecord first = IdempotencyRecord.pending("owner-1", "orders-team", Operation.CREATE_ORDER, "f");
        IdempotencyRecord second = IdempotencyRecord.pending("owner-2", "orders-team", Operation.CREATE_ORDER, "f");
        IdempotencyClaim firstClaim = new IdempotencyClaim(recordKey, first);
        IdempotencyClaim secondClaim = new IdempotencyClaim(recordKey, second);
        assertEquals(1, claim(firstClaim, Duration.ofMillis(100)).get(0).toInteger());
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> redisData.key().exists(recordKey) == false);
        assertEquals(1, claim(secondClaim, Duration.ofSeconds(30)).get(0).toInteger());

        var answer =
                new io.tokengateway.flow.GatewayResponse(200, Map.of(), io.vertx.core.buffer.Buffer.buffer("late"));
        assertFalse(store.wasOurs(TestRounds.run(scripts, store.complete(firstClaim, answer, Duration.ofHours(1)))
                .get(0)));
        assertFalse(
                store.wasOurs(TestRounds.run(scripts, store.release(firstClaim)).get(0)));
        var held = claim(firstClaim, Duration.ofSeconds(30));
        assertEquals(0, held.get(0).toInteger());
        IdempotencyRecord holder = IdempotencyRecord.fromJson(held.get(1).text());
        assertEquals("owner-2", holder.owner());
        assertTrue(holder.isPending());
        assertTrue(store.wasOurs(TestRounds.run(scripts, store.complete(secondClaim, answer, Duration.ofHours(1)))
                .get(0)));
    }

    private io.tokengateway.flow.ScriptReply claim(IdempotencyClaim claim, Duration lease) {
        return TestRounds.run(scripts, store.claim(claim, lease, 0, Duration.ZERO))
                .get(0);
    }

    @Test
    void redisNeverHoldsTheCustomerTokenTheIdempotencyKeyOrTheBody() {
        order("orders-team", key, ORDER).then().statusCode(200);
        List<String> keys = redisData.key().keys("*");
        assertFalse(keys.isEmpty());
        for (String redisKey : keys) {
            assertFalse(redisKey.contains(token) || redisKey.contains(key), "a Redis key name holds request data");
            if (redisData.key().type(redisKey) == io.quarkus.redis.datasource.keys.RedisValueType.STRING) {
                String value = redisData.value(String.class).get(redisKey);
                assertFalse(value.contains(token), "a Redis value holds the customer token");
                assertFalse(value.contains("4111"), "a Redis value holds the card number");
                assertFalse(value.contains(key), "a Redis value holds the idempotency key");
            }
        }
    }
}
