package io.tokengateway.idempotency;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.vertx.core.json.JsonObject;

/**
 * A seal-key rotation and a rolling upgrade, as docs/operations.md describes them: the gateway seals with
 * {@code gateway.state.seal-key}, still accepts records sealed with {@code gateway.state.previous-seal-keys}, and,
 * with {@code gateway.state.accept-unsealed=true}, replays records written before sealing existed.
 */
@QuarkusTest
@TestProfile(SealRotationTest.Rotating.class)
class SealRotationTest {

    static final byte[] PREVIOUS = "the-previous-seal-key-32-bytes-at-least".getBytes(StandardCharsets.UTF_8);
    static final byte[] CURRENT = "the-current-seal-key-given-in-base64-here".getBytes(StandardCharsets.UTF_8);
    static final byte[] UNKNOWN = "a-seal-key-no-gateway-was-ever-given-Xy".getBytes(StandardCharsets.UTF_8);

    public static class Rotating implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.state.seal-key",
                    Base64.getEncoder().encodeToString(CURRENT),
                    "gateway.state.previous-seal-keys",
                    Base64.getEncoder().encodeToString(PREVIOUS),
                    "gateway.state.accept-unsealed",
                    "true");
        }
    }

    @Inject
    SandboxServer sandbox;

    @Inject
    RedisDataSource redis;

    String token;
    String key;
    String recordKey;

    @BeforeEach
    void fresh() {
        sandbox.reset();
        token = "kct-rotation-" + UUID.randomUUID();
        key = "rotation-" + UUID.randomUUID();
        recordKey = IdempotencyStore.recordKey("main-shop", key);
    }

    Response order() {
        return Calls.as("orders-team", "main-shop")
                .header("Klarna-Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body(IdempotencyTest.ORDER)
                .when()
                .post(Calls.CREATE_ORDER, token);
    }

    /** The stored record's content, without its seal. */
    String storedContent() {
        JsonObject record = new JsonObject(redis.value(String.class).get(recordKey));
        record.remove("seal");
        return record.encode();
    }

    @Test
    void aRecordSealedWithThePreviousKeyStillReplays() {
        String orderId = order().then().statusCode(200).extract().path("order_id");
        redis.value(String.class).set(recordKey, RecordSeal.of(false, PREVIOUS).seal(recordKey, storedContent()));
        order().then().statusCode(200).header("Idempotent-Replayed", is("true")).body("order_id", is(orderId));
        assertEquals(1, sandbox.received().size());
    }

    @Test
    void aRecordSealedWithAKeyTheGatewayNeverHadIsRefused() {
        order().then().statusCode(200);
        redis.value(String.class).set(recordKey, RecordSeal.of(false, UNKNOWN).seal(recordKey, storedContent()));
        order().then().statusCode(500).body("error_code", is("INTERNAL_ERROR"));
        assertEquals(1, sandbox.received().size());
    }

    @Test
    void anUnsealedRecordReplaysWhileUnsealedRecordsAreAccepted() {
        String orderId = order().then().statusCode(200).extract().path("order_id");
        redis.value(String.class).set(recordKey, storedContent());
        order().then().statusCode(200).header("Idempotent-Replayed", is("true")).body("order_id", is(orderId));
        assertEquals(1, sandbox.received().size());
    }

    @Test
    void anUnsealedRecordWrittenBeforeTheFingerprintCoveredTheTokenIsStillNeverReplayed() {
        // What the version before that stored: fingerprinted over the body alone, no format field, no seal.
        JsonObject legacyPending = new JsonObject()
                .put("owner", "old-owner")
                .put("caller", "orders-team")
                .put("operation", "create-order")
                .put(
                        "fingerprint",
                        io.tokengateway.digest.Sha256.hex(IdempotencyTest.ORDER.getBytes(StandardCharsets.UTF_8)));
        JsonObject legacyFinished = legacyPending
                .copy()
                .put("status", 200)
                .put("headers", new JsonObject().put("Content-Type", "application/json"))
                .put("body", Base64.getEncoder().encodeToString("{\"order_id\":\"someone-elses\"}".getBytes()));
        try {
            redis.value(String.class).set(recordKey, legacyFinished.encode());
            order().then().statusCode(422).body("error_code", is("IDEMPOTENCY_KEY_REUSED"));
            redis.value(String.class).set(recordKey, legacyPending.encode());
            order().then().statusCode(409).body("error_code", is("IDEMPOTENCY_KEY_IN_USE"));
        } finally {
            redis.key().del(recordKey);
        }
        assertTrue(sandbox.received().isEmpty());
    }
}
