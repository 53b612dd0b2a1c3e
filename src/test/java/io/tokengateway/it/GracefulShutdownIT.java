package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.tokengateway.testing.PackagedGateway;
import io.tokengateway.testing.Tokens;
import io.vertx.core.json.JsonObject;

/**
 * SIGTERM, in order: readiness DOWN while the gateway still serves (the shutdown delay, while Kubernetes removes
 * the endpoint), then no new requests, in-flight ones finished, the work of callers who hung up finished before
 * the provider clients and Redis close, everything audited, and a clean exit.
 */
class GracefulShutdownIT {

    private static final String ORDER = "{\"purchase_currency\":\"EUR\",\"order_amount\":100,"
            + "\"order_tax_amount\":0,\"order_lines\":[{\"name\":\"x\",\"quantity\":1,\"unit_price\":100,\"total_amount\":100}]}";

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void readinessGoesDownWhileTheGatewayStillServesThenInFlightRequestsCompleteAndAreAudited() throws Exception {
        try (PackagedGateway gateway =
                PackagedGateway.start("graceful-shutdown", Map.of("quarkus.shutdown.delay", "5s"))) {
            HttpRequest slowOrder = HttpRequest.newBuilder(
                            URI.create(gateway.baseUrl() + "/customer-token/v1/tokens/slow-2000-sd/order"))
                    .header("Authorization", "Bearer " + Tokens.forCaller("orders-team"))
                    .header("Klarna-Idempotency-Key", "shutdown-key-1")
                    .header("X-Correlation-Id", "in-flight-at-sigterm")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ORDER))
                    .build();
            CompletableFuture<HttpResponse<String>> inFlight =
                    client.sendAsync(slowOrder, HttpResponse.BodyHandlers.ofString());
            awaitClaimed(gateway); // the gateway has it in hand, waiting on the slow provider

            gateway.sigterm();

            // The endpoint is being removed: readiness DOWN at once, and requests still routed here are served.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(3))
                    .until(() ->
                            get(gateway.managementUrl() + "/q/health/ready").statusCode() == 503);
            assertTrue(get(gateway.managementUrl() + "/q/health/ready").body().contains("Graceful Shutdown"));
            HttpResponse<String> during = client.send(
                    HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/customer-token/v1/tokens/kct-during-delay"))
                            .header("Authorization", "Bearer " + Tokens.forCaller("orders-team"))
                            .header("X-Correlation-Id", "during-shutdown-delay")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, during.statusCode(), "still accepting during the shutdown delay: " + during.body());
            assertEquals(200, get(gateway.managementUrl() + "/q/health/live").statusCode());

            int exit = gateway.awaitExit(Duration.ofSeconds(45));

            HttpResponse<String> answered = inFlight.get();
            assertEquals(200, answered.statusCode(), answered.body());
            assertTrue(answered.body().contains("order_id"));
            // 143 = 128 + SIGTERM: how the JVM reports an orderly exit that SIGTERM started; -1 would be a hang.
            assertTrue(exit == 0 || exit == 143, "exit code after SIGTERM: " + exit);
            assertFalse(gateway.isAlive());
            String output = gateway.output();
            assertTrue(output.contains("tokengateway stopped in"), "an orderly Quarkus shutdown");
            assertTrue(
                    output.contains("\"correlation_id\":\"in-flight-at-sigterm\"")
                            && output.contains("\"decision\":\"allowed\""),
                    "the in-flight request was audited");
            assertTrue(output.contains("\"correlation_id\":\"during-shutdown-delay\""), "and the one in the delay");
            // Its idempotency claim was settled (stored), not left to expire.
            assertTrue(
                    ((java.util.List<?>) gateway.redis().call("KEYS", "tg:idem:*")).size() == 1,
                    "the idempotency record is stored");
        }
    }

    /**
     * A caller hangs up while the provider works on its order, then the pod is told to stop. The HTTP layer
     * counts that request done when its connection closes; the pipeline's drain runs on the shutdown event,
     * before Redis and the provider clients close, so the order finishes as if the caller had waited: the
     * provider's answer is stored and audited, and the caller's retry with the same key, on another replica,
     * is answered with it, not sent to the provider again.
     */
    @Test
    void theOrderOfACallerThatHungUpFinishesAndItsRetryOnAnotherReplicaReplaysIt() throws Exception {
        try (PackagedGateway gateway = PackagedGateway.start("graceful-shutdown-hung-up", Map.of());
                PackagedGateway replica = gateway.startReplica("graceful-shutdown-hung-up-replica", Map.of())) {
            String path = "/customer-token/v1/tokens/slow-2000-hung-up/order";
            String request = "POST " + path + " HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer " + Tokens.forCaller("orders-team") + "\r\n"
                    + "Klarna-Idempotency-Key: shutdown-key-2\r\nX-Correlation-Id: hung-up-at-sigterm\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + ORDER.length() + "\r\n\r\n" + ORDER;
            try (Socket caller = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
                caller.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                caller.getOutputStream().flush();
                awaitClaimed(gateway);
            } // the caller hangs up while the provider works on its order, then the pod is told to stop

            int exit = gateway.terminate(Duration.ofSeconds(30));

            assertTrue(exit == 0 || exit == 143, "exit code after SIGTERM: " + exit);
            String output = gateway.output();
            List<String> records = output.lines()
                    .filter(line -> line.contains("\"correlation_id\":\"hung-up-at-sigterm\""))
                    .toList();
            assertEquals(1, records.size(), "the abandoned request has exactly one audit record: " + output);
            JsonObject record = new JsonObject(records.get(0));
            assertEquals(200, record.getInteger("status"), "the provider's answer, not a cut-short call: " + record);
            assertEquals("YES", record.getString("provider_acted"), record.encode());
            int lastCheckpoint = output.lastIndexOf("\"type\":\"checkpoint\"");
            assertTrue(output.indexOf("hung-up-at-sigterm") < lastCheckpoint, "audited before the final checkpoint");
            assertTrue(
                    ((java.util.List<?>) gateway.redis().call("KEYS", "tg:idem:*")).size() == 1,
                    "its answer is stored");

            HttpResponse<String> retry = client.send(
                    HttpRequest.newBuilder(URI.create(replica.baseUrl() + path))
                            .header("Authorization", "Bearer " + Tokens.forCaller("orders-team"))
                            .header("Klarna-Idempotency-Key", "shutdown-key-2")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(ORDER))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, retry.statusCode(), retry.body());
            assertEquals(
                    "true", retry.headers().firstValue("Idempotent-Replayed").orElse("no"));
            assertEquals(
                    record.getString("order_id"),
                    new JsonObject(retry.body()).getString("order_id"),
                    "the retry gets the order the provider placed for the caller who hung up");
        }
    }

    private void awaitClaimed(PackagedGateway gateway) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> get(gateway.managementUrl() + "/q/metrics")
                .body()
                .contains("gateway_idempotency_total{merchant=\"main-shop\",outcome=\"claimed\"}"));
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
