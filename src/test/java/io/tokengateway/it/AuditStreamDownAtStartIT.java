package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokengateway.testing.PackagedGateway;
import io.tokengateway.testing.Tokens;
import io.vertx.core.json.JsonObject;

/**
 * A shared audit sink (a Redis Stream) that is down when a replica starts, as in a rollout or a scale-up during a
 * Redis outage: the new replica still joins the Service (every replica meets the same Redis; taking them all out
 * would leave callers with refused connections) and answers each request 503 in the provider's shape with
 * {@code Retry-After}, acting on nothing it cannot audit.
 */
class AuditStreamDownAtStartIT {

    static final Map<String, String> STREAM = Map.of(
            "gateway.audit.sink", "redis-stream",
            "gateway.audit.redis-stream.key", "tg:audit:down-at-start",
            "gateway.redis.timeout", "300ms");

    @Test
    void aReplicaStartedWhileTheStreamIsDownIsReadyAndAnswers503WithRetryAfter() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        try (PackagedGateway first = PackagedGateway.start("stream-down-first", STREAM)) {
            first.redis().stop();
            // start waits for readiness: this returning at all is the first half of the promise
            try (PackagedGateway scaledUp = first.startReplica("stream-down-scaled-up", STREAM)) {
                HttpResponse<String> ready = client.send(
                        HttpRequest.newBuilder(URI.create(scaledUp.managementUrl() + "/q/health/ready"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ready.statusCode(), ready.body());

                HttpResponse<String> read = client.send(
                        HttpRequest.newBuilder(
                                        URI.create(scaledUp.baseUrl() + "/customer-token/v1/tokens/kct-stream-down"))
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + Tokens.forCaller("orders-team"))
                                .header("X-Merchant-Id", "main-shop")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, read.statusCode(), read.body());
                assertEquals(
                        "DEPENDENCY_UNAVAILABLE", new JsonObject(read.body()).getString("error_code"), read.body());
                assertTrue(
                        read.headers().firstValue("Retry-After").isPresent(),
                        read.headers().toString());
            }
        }
    }
}
