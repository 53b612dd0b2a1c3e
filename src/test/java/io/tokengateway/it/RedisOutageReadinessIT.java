package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.tokengateway.testing.PackagedGateway;
import io.tokengateway.testing.Tokens;
import io.vertx.core.json.JsonObject;

/**
 * Redis killed under the packaged gateway: the replica stays in the Service (readiness 200, Redis DOWN in
 * its details), so callers get the gateway's own answers: orders 503 {@code DEPENDENCY_UNAVAILABLE} with
 * {@code Retry-After} (idempotency fails closed), reads 200 (the rate limit falls back to this replica's
 * memory). Redis back: orders go through again, with no restart.
 */
class RedisOutageReadinessIT {

    private static final String ORDER = "{\"purchase_currency\":\"EUR\",\"order_amount\":100,\"order_tax_amount\":0,"
            + "\"order_lines\":[{\"name\":\"x\",\"quantity\":1,\"unit_price\":100,\"total_amount\":100}]}";

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void aRedisOutageKeepsTheReplicaInTheServiceAndIsAnsweredPerRequest() throws Exception {
        try (PackagedGateway gateway = PackagedGateway.start("redis-outage-readiness", Map.of())) {
            assertEquals(200, order(gateway, "before-outage").statusCode());

            gateway.redis().stop();

            HttpResponse<String> ready = get(gateway.managementUrl() + "/q/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("DOWN", redisInDetails(ready.body()), ready.body());
            assertEquals(200, get(gateway.managementUrl() + "/q/health/live").statusCode());

            HttpResponse<String> refused = order(gateway, "during-outage");
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("DEPENDENCY_UNAVAILABLE", new JsonObject(refused.body()).getString("error_code"));
            assertTrue(
                    refused.headers().firstValue("Retry-After").isPresent(),
                    "a 503 says when to retry: " + refused.headers().map());

            HttpResponse<String> read = read(gateway);
            assertEquals(
                    200, read.statusCode(), "reads are served under the local rate-limit fallback: " + read.body());
            assertTrue(
                    get(gateway.managementUrl() + "/q/metrics").body().contains("gateway_redis_up 0.0"),
                    "the outage is in the metrics");

            gateway.redis().start();

            // The client reconnects on its own: the first orders after the restart may still meet a closing pool.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(15))
                    .until(() ->
                            order(gateway, "after-outage-" + UUID.randomUUID()).statusCode() == 200);
            HttpResponse<String> readyAgain = get(gateway.managementUrl() + "/q/health/ready");
            assertEquals(200, readyAgain.statusCode());
            assertEquals("UP", redisInDetails(readyAgain.body()), readyAgain.body());
            assertTrue(gateway.isAlive(), "no restart");
        }
    }

    private static String redisInDetails(String readiness) {
        return new JsonObject(readiness)
                .getJsonArray("checks").stream()
                        .map(JsonObject.class::cast)
                        .filter(check -> "redis".equals(check.getString("name")))
                        .findFirst()
                        .map(check -> check.getJsonObject("data").getString("redis"))
                        .orElse("no redis entry");
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> order(PackagedGateway gateway, String key) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/customer-token/v1/tokens/kct-outage-1/order"))
                        .header("Authorization", "Bearer " + Tokens.forCaller("orders-team"))
                        .header("Klarna-Idempotency-Key", key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(ORDER))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> read(PackagedGateway gateway) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/customer-token/v1/tokens/kct-outage-1"))
                        .header("Authorization", "Bearer " + Tokens.forCaller("orders-team"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
