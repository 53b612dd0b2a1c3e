package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

import io.tokengateway.testing.CountingProvider;
import io.tokengateway.testing.PackagedGateway;
import io.tokengateway.testing.RawHttp;
import io.tokengateway.testing.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The hostile-input corpus ({@code src/test/resources/hostile/cases.json}) against the packaged gateway,
 * byte for byte over a raw socket: every case gets a 4xx in the provider's error shape, none reaches the
 * provider, and afterwards the gateway is healthy and serves a valid request.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {

    static CountingProvider provider;
    static PackagedGateway gateway;
    static String bearer;
    static int tried;

    @BeforeAll
    static void start() {
        provider = new CountingProvider();
        gateway = PackagedGateway.start(
                "hostile-input",
                Map.of(
                        "gateway.sandbox.enabled", "false",
                        "gateway.merchants.main-shop.base-url", provider.baseUrl(),
                        "quarkus.http.idle-timeout", "2s"));
        bearer = Tokens.forCaller("orders-team");
    }

    @AfterAll
    static void stop() {
        System.out.println("Hostile input: " + tried + " cases tried, " + provider.calls() + " reached the provider");
        gateway.close();
        provider.close();
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> everyHostileCaseIsA4xxThatNeverReachesTheProvider() throws IOException {
        JsonArray cases;
        try (InputStream in = HostileInputIT.class.getResourceAsStream("/hostile/cases.json")) {
            cases = new JsonArray(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertTrue(cases.size() >= 200, "at least 200 cases");
        return cases.stream()
                .map(JsonObject.class::cast)
                .map(c -> DynamicTest.dynamicTest(c.getString("id"), () -> run(c)));
    }

    static void run(JsonObject hostile) {
        tried++;
        int callsBefore = provider.calls();
        RawHttp.Answer answer = RawHttp.send(gateway.port(), request(hostile), 15_000);
        String id = hostile.getString("id");
        assertTrue(
                answer.status() >= 400 && answer.status() < 500,
                () -> id + ": status " + answer.status() + " " + answer.body());
        if (hostile.getBoolean("shape", true) && !hostile.getString("method").equals("HEAD")) {
            JsonObject error = new JsonObject(answer.body());
            assertFalse(error.getString("error_code", "").isEmpty(), id + ": no error_code");
            assertFalse(error.getJsonArray("error_messages").isEmpty(), id + ": no error_messages");
            assertNotNull(error.getString("correlation_id"), id + ": no correlation_id");
        }
        assertEquals(callsBefore, provider.calls(), id + " reached the provider");
    }

    static byte[] request(JsonObject hostile) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (hostile.containsKey("bodyBase64")) {
            body.writeBytes(Base64.getDecoder().decode(hostile.getString("bodyBase64")));
        } else if (hostile.containsKey("bodyParts")) {
            for (Object part : hostile.getJsonArray("bodyParts")) {
                JsonArray p = (JsonArray) part;
                String text = p.getString(1);
                int times = p.getString(0).equals("repeat") ? p.getInteger(2) : 1;
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < times; i++) {
                    body.writeBytes(bytes);
                }
            }
        } else if (hostile.containsKey("body")) {
            body.writeBytes(hostile.getString("body").getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder head = new StringBuilder()
                .append(hostile.getString("method"))
                .append(' ')
                .append(hostile.getString("path"))
                .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (Object header : hostile.getJsonArray("headers")) {
            JsonArray h = (JsonArray) header;
            String value = h.getString(1)
                    .replace("{{TOKEN}}", bearer)
                    .replace("{{KEY}}", UUID.randomUUID().toString());
            head.append(h.getString(0)).append(": ").append(value).append("\r\n");
        }
        boolean hasBody =
                hostile.containsKey("body") || hostile.containsKey("bodyBase64") || hostile.containsKey("bodyParts");
        if (hostile.containsKey("contentLength")) {
            head.append("Content-Length: ")
                    .append(hostile.getLong("contentLength"))
                    .append("\r\n");
        } else if (hasBody) {
            head.append("Content-Length: ").append(body.size()).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        all.writeBytes(body.toByteArray());
        return all.toByteArray();
    }

    @Test
    @Order(2)
    void aSlowRequestBodyIsCutOffAndHoldsNothing() throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(
                            ("POST /customer-token/v1/tokens/kct-slow/order HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                                            + bearer
                                            + "\r\nContent-Type: application/json\r\nKlarna-Idempotency-Key: slow-1\r\nContent-Length: 500\r\n\r\n{\"order")
                                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // Then nothing: the idle timeout (2 s here) must close the connection.
            int read = socket.getInputStream().read();
            while (read >= 0) {
                read = socket.getInputStream().read();
            }
        }
        Duration held = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(held.compareTo(Duration.ofSeconds(6)) < 0, "the connection was held for " + held);
        assertEquals(0, provider.calls());
    }

    @Test
    @Order(3)
    void afterwardsTheGatewayIsHealthyAndServesAValidRequest() {
        RawHttp.Answer live = RawHttp.send(
                Integer.parseInt(gateway.managementUrl().replaceAll(".*:", "")),
                "GET /q/health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII),
                5_000);
        assertEquals(200, live.status());
        String order = "{\"purchase_currency\":\"EUR\",\"order_amount\":2500,\"order_tax_amount\":0,"
                + "\"order_lines\":[{\"name\":\"Shoe\",\"quantity\":1,\"unit_price\":2500,\"total_amount\":2500}]}";
        RawHttp.Answer ok = RawHttp.send(
                gateway.port(),
                ("POST /customer-token/v1/tokens/kct-after/order HTTP/1.1\r\nHost: x\r\n"
                                + "Authorization: Bearer " + bearer
                                + "\r\nContent-Type: application/json\r\nKlarna-Idempotency-Key: after-1\r\n"
                                + "Connection: close\r\nContent-Length: " + order.length() + "\r\n\r\n" + order)
                        .getBytes(StandardCharsets.UTF_8),
                10_000);
        assertEquals(200, ok.status(), ok.body());
        assertTrue(ok.body().contains("order_id"));
        assertEquals(1, provider.calls(), "only the valid request reached the provider");
    }
}
