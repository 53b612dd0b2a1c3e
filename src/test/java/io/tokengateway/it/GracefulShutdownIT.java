package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.tokengateway.testing.PackagedGateway;
import io.tokengateway.testing.Tokens;

/** SIGTERM: the packaged gateway stops accepting, finishes what is in flight, audits it, and exits cleanly. */
class GracefulShutdownIT {

    @Test
    void inFlightRequestsCompleteAndAreAuditedBeforeTheProcessExits() throws Exception {
        try (PackagedGateway gateway = PackagedGateway.start("graceful-shutdown", Map.of())) {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest slowOrder = HttpRequest.newBuilder(
                            URI.create(gateway.baseUrl() + "/customer-token/v1/tokens/slow-2000-sd/order"))
                    .header("Authorization", "Bearer " + Tokens.forCaller("orders-team"))
                    .header("Klarna-Idempotency-Key", "shutdown-key-1")
                    .header("X-Correlation-Id", "in-flight-at-sigterm")
                    .header("Content-Type", "application/json")
                    .POST(
                            HttpRequest.BodyPublishers.ofString(
                                    "{\"purchase_currency\":\"EUR\",\"order_amount\":100,"
                                            + "\"order_tax_amount\":0,\"order_lines\":[{\"name\":\"x\",\"quantity\":1,\"unit_price\":100,\"total_amount\":100}]}"))
                    .build();
            CompletableFuture<HttpResponse<String>> inFlight =
                    client.sendAsync(slowOrder, HttpResponse.BodyHandlers.ofString());
            // Wait until the gateway has it in hand (it is waiting on the slow provider).
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.send(
                            HttpRequest.newBuilder(URI.create(gateway.managementUrl() + "/q/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body()
                    .contains("gateway_idempotency_total{merchant=\"main-shop\",outcome=\"claimed\"}"));

            int exit = gateway.terminate(Duration.ofSeconds(30));

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
            // Its idempotency claim was settled (stored), not left to expire.
            assertTrue(gateway.redis().command("KEYS tg:idem:*").startsWith("*1"), "the idempotency record is stored");
        }
    }

    /**
     * What shutdown guarantees for a request whose caller hung up: the HTTP layer counts it done when the
     * connection closes, and the process then closes its clients, so its provider call can be cut short. The
     * pipeline still settles it before the trail's last checkpoint: one audit record, the key not left in
     * flight, the outcome recorded as unknown (so its amount stays reserved) unless the provider answered.
     */
    @Test
    void theWorkOfACallerThatHungUpIsSettledAndAuditedBeforeTheProcessExits() throws Exception {
        try (PackagedGateway gateway = PackagedGateway.start("graceful-shutdown-hung-up", Map.of())) {
            String body = "{\"purchase_currency\":\"EUR\",\"order_amount\":100,\"order_tax_amount\":0,"
                    + "\"order_lines\":[{\"name\":\"x\",\"quantity\":1,\"unit_price\":100,\"total_amount\":100}]}";
            String request = "POST /customer-token/v1/tokens/slow-2000-hung-up/order HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer " + Tokens.forCaller("orders-team") + "\r\n"
                    + "Klarna-Idempotency-Key: shutdown-key-2\r\nX-Correlation-Id: hung-up-at-sigterm\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
            HttpClient client = HttpClient.newHttpClient();
            try (java.net.Socket caller =
                    new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), gateway.port())) {
                caller.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                caller.getOutputStream().flush();
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.send(
                                HttpRequest.newBuilder(URI.create(gateway.managementUrl() + "/q/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body()
                        .contains("gateway_idempotency_total{merchant=\"main-shop\",outcome=\"claimed\"}"));
            } // the caller hangs up while the provider works on its order, then the pod is told to stop

            int exit = gateway.terminate(Duration.ofSeconds(30));

            assertTrue(exit == 0 || exit == 143, "exit code after SIGTERM: " + exit);
            String output = gateway.output();
            List<String> records = output.lines()
                    .filter(line -> line.contains("\"correlation_id\":\"hung-up-at-sigterm\""))
                    .toList();
            assertEquals(1, records.size(), "the abandoned request has exactly one audit record: " + output);
            String record = records.get(0);
            assertTrue(record.contains("\"status\":200") || record.contains("\"provider_acted\":\"MAYBE\""), record);
            int lastCheckpoint = output.lastIndexOf("\"type\":\"checkpoint\"");
            assertTrue(output.indexOf("hung-up-at-sigterm") < lastCheckpoint, "audited before the final checkpoint");
            String keys = gateway.redis().command("KEYS tg:idem:*");
            if (record.contains("\"status\":200")) {
                assertTrue(keys.startsWith("*1"), "its answer is stored for the retry");
            } else {
                assertTrue(keys.startsWith("*0"), "its key is released, not left in flight: " + keys);
            }
        }
    }
}
