package io.tokengateway.idempotency;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tokengateway.digest.Sha256;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.LogCapture;
import io.tokengateway.testing.Metrics;
import io.tokengateway.testing.WrittenOutput;
import io.vertx.core.json.JsonObject;

/**
 * Whoever can write to Redis cannot make the gateway lie: a stored answer edited in Redis, or a genuine one copied
 * under another idempotency key, fails its seal. It is answered 500 {@code INTERNAL_ERROR}, never replayed and
 * never forwarded (the provider is not called again), logged with the merchant and the key's hash only, and
 * counted in {@code gateway_state_seal_failures_total}.
 */
@QuarkusTest
class SealedRecordsTest {

    @Inject
    SandboxServer sandbox;

    @Inject
    RedisDataSource redis;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    String token;

    @BeforeEach
    void fresh() {
        sandbox.reset();
        token = "kct-sealed-" + UUID.randomUUID();
    }

    Response order(String idempotencyKey) {
        return Calls.as("orders-team", "main-shop")
                .header("Klarna-Idempotency-Key", idempotencyKey)
                .contentType(ContentType.JSON)
                .body(IdempotencyTest.ORDER)
                .when()
                .post(Calls.CREATE_ORDER, token);
    }

    @Test
    void anAnswerEditedInRedisIsRefusedAndTheProviderIsNotCalledAgain() {
        String key = "sealed-" + UUID.randomUUID();
        String orderId = order(key).then().statusCode(200).extract().path("order_id");
        String recordKey = IdempotencyStore.recordKey("main-shop", key);
        String stored = redis.value(String.class).get(recordKey);
        String body = new JsonObject(stored).getString("body");
        String forged = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8)
                .replace(orderId, "forged-order-id");
        // The seal stays where it was: only the answer changes, as an attacker with Redis access would change it.
        redis.value(String.class)
                .set(
                        recordKey,
                        stored.replace(
                                body, Base64.getEncoder().encodeToString(forged.getBytes(StandardCharsets.UTF_8))));
        double before = sealFailures("mismatch");
        WrittenOutput written = WrittenOutput.from(WrittenOutput.GATEWAY_LOG);
        try (LogCapture log = LogCapture.open()) {
            Response refused = order(key);
            refused.then().statusCode(500).body("error_code", is("INTERNAL_ERROR"));
            assertFalse(refused.asString().contains("forged-order-id"));
            assertNoRecordContentIn(log.all() + written.sinceStart(), key, stored, orderId);
            assertTrue(
                    log.all().contains("merchant main-shop, key hash " + Sha256.hex(key) + " fails its seal"),
                    log::all);
        }
        assertEquals(1, sandbox.received().size(), "the provider was called for the first order only");
        assertEquals(before + 1, sealFailures("mismatch"));
    }

    @Test
    void aGenuineAnswerCopiedUnderAnotherKeyIsRefusedAndTheProviderIsNotCalled() {
        String original = "sealed-" + UUID.randomUUID();
        String orderId = order(original).then().statusCode(200).extract().path("order_id");
        String stored = redis.value(String.class).get(IdempotencyStore.recordKey("main-shop", original));
        String copy = "sealed-copy-" + UUID.randomUUID();
        redis.value(String.class).set(IdempotencyStore.recordKey("main-shop", copy), stored);
        try (LogCapture log = LogCapture.open()) {
            order(copy).then().statusCode(500).body("error_code", is("INTERNAL_ERROR"));
            assertNoRecordContentIn(log.all(), copy, stored, orderId);
        }
        assertEquals(1, sandbox.received().size(), "the copied key never reached the provider");
        // The genuine record under its own key still replays.
        order(original)
                .then()
                .statusCode(200)
                .header("Idempotent-Replayed", is("true"))
                .body("order_id", is(orderId));
        assertEquals(1, sandbox.received().size());
    }

    @Test
    void aRecordStrippedOfItsSealIsRefusedWhileUnsealedRecordsAreNotAccepted() {
        String key = "sealed-" + UUID.randomUUID();
        order(key).then().statusCode(200);
        String recordKey = IdempotencyStore.recordKey("main-shop", key);
        JsonObject unsealed = new JsonObject(redis.value(String.class).get(recordKey));
        unsealed.remove("seal");
        redis.value(String.class).set(recordKey, unsealed.encode());
        double before = sealFailures("unsealed");
        order(key).then().statusCode(500).body("error_code", is("INTERNAL_ERROR"));
        assertEquals(1, sandbox.received().size());
        assertEquals(before + 1, sealFailures("unsealed"));
    }

    /** Neither the idempotency key, nor the record, its answer or its seal, nor the customer token is logged. */
    private void assertNoRecordContentIn(String output, String key, String stored, String orderId) {
        JsonObject record = new JsonObject(stored);
        for (String secret : List.of(
                key,
                token,
                orderId,
                record.getString("body"),
                record.getString("seal"),
                record.getString("fingerprint"),
                record.getString("owner"))) {
            assertFalse(output.contains(secret), () -> "the log holds record content: " + secret);
        }
    }

    private double sealFailures(String reason) {
        String series = "gateway_state_seal_failures_total{merchant=\"main-shop\",reason=\"" + reason + "\"}";
        return Metrics.scrape(metrics)
                .lines()
                .filter(line -> line.startsWith(series))
                .mapToDouble(line ->
                        Double.parseDouble(line.substring(series.length()).trim()))
                .findFirst()
                .orElse(0);
    }
}
