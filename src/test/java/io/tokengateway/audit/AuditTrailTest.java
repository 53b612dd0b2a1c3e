package io.tokengateway.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.tokengateway.audit.verify.AuditChainVerifier;
import io.tokengateway.sandbox.SandboxFault;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.Tokens;
import io.tokengateway.testing.Upstream;
import io.tokengateway.testing.WrittenOutput;
import io.vertx.core.json.JsonObject;

/** Exactly one audit record per request, whatever the outcome, and the written trail verifies. */
@QuarkusTest
class AuditTrailTest {

    static final String ORDER = "{\"purchase_currency\":\"EUR\",\"order_amount\":2500,\"order_tax_amount\":0,"
            + "\"order_lines\":[{\"name\":\"Shoe\",\"quantity\":1,\"unit_price\":2500,\"total_amount\":2500}]}";

    @Inject
    SandboxServer sandbox;

    @Inject
    RedisDataSource redisData;

    @Inject
    AuditService service;

    @BeforeEach
    void fresh() {
        sandbox.reset();
        redisData.key().del("tg:rate:{rate-limited-shop}");
    }

    /** Sends one request with a fresh correlation id and returns the one audit record written for it. */
    JsonObject audited(int expectedStatus, Function<RequestSpecification, io.restassured.response.Response> request) {
        WrittenOutput audit = WrittenOutput.from(WrittenOutput.AUDIT_LOG);
        String correlationId = "audit-" + UUID.randomUUID();
        int status =
                request.apply(given().header("X-Correlation-Id", correlationId)).statusCode();
        assertEquals(expectedStatus, status);
        List<JsonObject> records = Arrays.stream(audit.sinceStart().split("\n"))
                .filter(l -> l.startsWith("{"))
                .map(JsonObject::new)
                .filter(r -> correlationId.equals(r.getString("correlation_id")))
                .toList();
        assertEquals(1, records.size(), () -> "records for one request: " + records);
        return records.get(0);
    }

    static RequestSpecification asTeamA(RequestSpecification spec, String merchant) {
        return spec.auth().oauth2(Tokens.forCaller("orders-team")).header("X-Merchant-Id", merchant);
    }

    @Test
    void aSuccessfulOrderIsAuditedWithEverything() {
        String key = "audit-key-" + UUID.randomUUID();
        JsonObject record = audited(200, spec -> asTeamA(spec, "main-shop")
                .header("Klarna-Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body(ORDER)
                .post("/customer-token/v1/tokens/{t}/order", "kct-audit-123456"));
        assertEquals("allowed", record.getString("decision"));
        assertEquals("orders-team", record.getString("caller"));
        assertEquals("main-shop", record.getString("merchant"));
        assertEquals("create-order", record.getString("operation"));
        assertEquals("kct-…", record.getString("token"));
        assertEquals(key, record.getString("idempotency_key"));
        assertEquals(200, record.getInteger("status"));
        assertEquals(200, record.getInteger("upstream_status"));
        assertTrue(record.getLong("upstream_latency_ms") >= 0);
        assertEquals(2500, record.getLong("order_amount"));
        assertEquals("EUR", record.getString("currency"));
        assertTrue(record.getString("order_id").length() > 10);
        assertTrue(record.getString("klarna_correlation_id").length() > 10);
        assertTrue(record.getString("hash").matches("[0-9a-f]{64}")
                && record.getString("prev").matches("[0-9a-f]{64}"));

        JsonObject replay = audited(200, spec -> asTeamA(spec, "main-shop")
                .header("Klarna-Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body(ORDER)
                .post("/customer-token/v1/tokens/{t}/order", "kct-audit-123456"));
        assertEquals(true, replay.getBoolean("replayed"));
        assertEquals(record.getString("order_id"), replay.getString("order_id"));
    }

    @Test
    void everyRejectionIsAuditedWithTheStepAndItsErrorCode() {
        assertRejected(
                audited(400, spec -> asTeamA(spec, "main-shop/x").get("/customer-token/v1/tokens/{t}", "kct-1")),
                "syntax",
                "BAD_REQUEST");
        assertRejected(
                audited(401, spec -> spec.get("/customer-token/v1/tokens/{t}", "kct-1")),
                "authenticate",
                "UNAUTHORIZED");
        assertRejected(
                audited(403, spec -> spec.auth()
                        .oauth2(Tokens.forCaller("reader-team"))
                        .header("X-Merchant-Id", "main-shop")
                        .get("/customer-token/v1/tokens/{t}", "kct-1")),
                "authorize",
                "FORBIDDEN");
        assertRejected(
                audited(400, spec -> asTeamA(spec, "main-shop")
                        .header("Klarna-Idempotency-Key", UUID.randomUUID().toString())
                        .contentType(ContentType.JSON)
                        .body(ORDER.replace("2500}", "2400}"))
                        .post("/customer-token/v1/tokens/{t}/order", "kct-1")),
                "validate",
                "BAD_VALUE");
        assertRejected(
                audited(400, spec -> asTeamA(spec, "main-shop")
                        .contentType(ContentType.JSON)
                        .body(ORDER)
                        .post("/customer-token/v1/tokens/{t}/order", "kct-1")),
                "idempotency-key",
                "IDEMPOTENCY_KEY_REQUIRED");
        for (int i = 0; i < 3; i++) {
            Calls.as("limits-team", "rate-limited-shop").get("/customer-token/v1/tokens/{t}", "kct-1");
        }
        assertRejected(
                audited(429, spec -> spec.auth()
                        .oauth2(Tokens.forCaller("limits-team"))
                        .header("X-Merchant-Id", "rate-limited-shop")
                        .get("/customer-token/v1/tokens/{t}", "kct-1")),
                "rate-limit",
                "RATE_LIMITED");
        assertRejected(
                audited(403, spec -> spec.auth()
                        .oauth2(Tokens.forCaller("limits-team"))
                        .header("X-Merchant-Id", "amount-limited-shop")
                        .header("Klarna-Idempotency-Key", UUID.randomUUID().toString())
                        .contentType(ContentType.JSON)
                        .body(ORDER.replace("EUR", "USD"))
                        .post("/customer-token/v1/tokens/{t}/order", "kct-1")),
                "order-limit",
                "CURRENCY_NOT_ALLOWED");
        String key = UUID.randomUUID().toString();
        asTeamA(given(), "main-shop")
                .header("Klarna-Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body(ORDER)
                .post("/customer-token/v1/tokens/{t}/order", "kct-1");
        assertRejected(
                audited(422, spec -> asTeamA(spec, "main-shop")
                        .header("Klarna-Idempotency-Key", key)
                        .contentType(ContentType.JSON)
                        .body(ORDER.replace("Shoe", "Boot"))
                        .post("/customer-token/v1/tokens/{t}/order", "kct-1")),
                "idempotency",
                "IDEMPOTENCY_KEY_REUSED");
        sandbox.enqueue(SandboxFault.closeConnection(), Upstream.ATTEMPTS);
        assertRejected(
                audited(502, spec -> asTeamA(spec, "main-shop").get("/customer-token/v1/tokens/{t}", "kct-1")),
                "forward",
                "UPSTREAM_ERROR");
        assertRejected(audited(404, spec -> spec.get("/no/such/path")), "route", "NOT_FOUND");
        assertRejected(
                audited(413, spec -> asTeamA(spec, "main-shop")
                        .contentType(ContentType.JSON)
                        .body("x".repeat(1_100_000))
                        .post("/customer-token/v1/tokens/{t}/order", "kct-1")),
                "body-size",
                "PAYLOAD_TOO_LARGE");
    }

    @Test
    void anUpstreamErrorAnswerIsAuditedWithItsStatus() {
        sandbox.enqueue(SandboxFault.status(503), Upstream.ATTEMPTS);
        JsonObject record =
                audited(503, spec -> asTeamA(spec, "main-shop").get("/customer-token/v1/tokens/{t}", "kct-1"));
        assertEquals("allowed", record.getString("decision"));
        assertEquals(503, record.getInteger("upstream_status"));
    }

    @Test
    void aRedisFaultInOneStepsPartIsAuditedAgainstThatStep() {
        // The claim's key holds a hash: claim.lua fails with WRONGTYPE inside the round, after the rate limit
        // (which allowed the request) and before the reservation (which does not run).
        String key = "audit-fault-" + UUID.randomUUID();
        String recordKey = io.tokengateway.idempotency.IdempotencyStore.recordKey("main-shop", key);
        redisData.hash(String.class).hset(recordKey, "not", "a record");
        try {
            JsonObject record = audited(500, spec -> asTeamA(spec, "main-shop")
                    .header("Klarna-Idempotency-Key", key)
                    .contentType(ContentType.JSON)
                    .body(ORDER)
                    .post("/customer-token/v1/tokens/{t}/order", "kct-1"));
            assertRejected(record, "idempotency", "INTERNAL_ERROR");
        } finally {
            redisData.key().del(recordKey);
        }
    }

    @Test
    void shadowModeRejectionsAreAudited() {
        redisData.key().del("tg:rate:{shadow-shop}");
        Calls.as("limits-team", "shadow-shop").get("/customer-token/v1/tokens/{t}", "kct-1");
        JsonObject record = audited(200, spec -> spec.auth()
                .oauth2(Tokens.forCaller("limits-team"))
                .header("X-Merchant-Id", "shadow-shop")
                .get("/customer-token/v1/tokens/{t}", "kct-1"));
        assertEquals("allowed", record.getString("decision"));
        assertEquals(
                "rate-limit:RATE_LIMITED",
                record.getJsonArray("shadow_rejections").getString(0));
    }

    @Test
    void theWrittenTrailVerifiesWithThePublicKeyAndTheCheckpointsInRedis() throws IOException {
        asTeamA(given(), "main-shop").get("/customer-token/v1/tokens/{t}", "kct-1");
        assertTrue(service.checkpointNow(Duration.ofSeconds(10)), "checkpoint written and stored");
        // This instance's chain: the file also holds earlier runs' chains.
        List<AuditChainVerifier.Line> ours = AuditChainVerifier.read(WrittenOutput.AUDIT_LOG).stream()
                .filter(line -> line.text().contains("\"instance\":\"" + service.instance() + "\""))
                .toList();
        List<String> stored = redisData.sortedSet(String.class).zrange(RedisCheckpoints.key(service.instance()), 0, -1);
        AuditChainVerifier.Report report =
                AuditChainVerifier.verify(ours, service.publicKey(), Map.of(service.instance(), stored), false);
        assertEquals(List.of(), report.breaks());
        assertTrue(report.records() > 2);
        assertEquals(1, report.instances());
        assertTrue(report.checkpoints() >= 2);
    }

    static void assertRejected(JsonObject record, String step, String errorCode) {
        assertEquals("rejected", record.getString("decision"), record::encode);
        assertEquals(step, record.getString("rejected_by"), record::encode);
        assertEquals(errorCode, record.getString("error_code"), record::encode);
    }
}
