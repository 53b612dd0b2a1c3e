package io.tokengateway.redis;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.Metrics;

/**
 * A Redis error that is no outage (here {@code WRONGTYPE}: a key of the wrong type) is a fault: 500, logged
 * and counted, never the fallback an unreachable Redis gets, and the provider is not called.
 */
@QuarkusTest
class RedisFaultTest {

    static final String ORDER = "{\"purchase_currency\":\"EUR\",\"order_amount\":2500,\"order_tax_amount\":0,"
            + "\"order_lines\":[{\"name\":\"Shoe\",\"quantity\":1,\"unit_price\":2500,\"total_amount\":2500}]}";

    @Inject
    SandboxServer sandbox;

    @Inject
    RedisDataSource redis;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @BeforeEach
    void fresh() {
        sandbox.reset();
    }

    @Test
    void aScriptErrorInTheRateLimiterIs500NotAFallback() {
        String rateKey = "tg:rate:{main-shop}";
        redis.key().del(rateKey);
        redis.hash(String.class).hset(rateKey, "not", "a number");
        try {
            Calls.as("orders-team", "main-shop")
                    .get("/customer-token/v1/tokens/{t}", "kct-fault-" + UUID.randomUUID())
                    .then()
                    .statusCode(500)
                    .body("error_code", is("INTERNAL_ERROR"));
        } finally {
            redis.key().del(rateKey);
        }
        assertTrue(sandbox.received().isEmpty(), "a faulty limiter must not let the request through");
        Metrics.assertSeries(metrics, "gateway_redis_faults_total{error=\"WRONGTYPE\",script=\"rate_limit.lua\"}");
    }

    @Test
    void aScriptErrorInTheIdempotencyStoreIs500AndNoOrderIsPlaced() {
        String key = "fault-" + UUID.randomUUID();
        String recordKey = io.tokengateway.idempotency.IdempotencyStore.recordKey("main-shop", key);
        redis.hash(String.class).hset(recordKey, "not", "a record");
        try {
            Calls.as("orders-team", "main-shop")
                    .header("Klarna-Idempotency-Key", key)
                    .contentType(ContentType.JSON)
                    .body(ORDER)
                    .post("/customer-token/v1/tokens/{t}/order", "kct-fault-" + UUID.randomUUID())
                    .then()
                    .statusCode(500)
                    .body("error_code", is("INTERNAL_ERROR"));
        } finally {
            redis.key().del(recordKey);
        }
        assertTrue(sandbox.received().isEmpty());
    }
}
