package io.tokengateway.pipeline;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tokengateway.sandbox.SandboxFault;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.Tokens;
import io.tokengateway.testing.WrittenOutput;
import io.vertx.core.json.JsonObject;

/**
 * A caller that hangs up while its order is at the provider cancels nothing: the order is finished, its
 * answer stored for the key, and the request audited, exactly as if the caller had waited.
 */
@QuarkusTest
class CallerHangsUpTest {

    static final String ORDER = "{\"purchase_currency\":\"EUR\",\"order_amount\":2500,\"order_tax_amount\":0,"
            + "\"order_lines\":[{\"name\":\"Shoe\",\"quantity\":1,\"unit_price\":2500,\"total_amount\":2500}]}";

    @Inject
    SandboxServer sandbox;

    @TestHTTPResource("/")
    URL gateway;

    @BeforeEach
    void fresh() {
        sandbox.reset();
    }

    @Test
    void theRetryOfACallerThatHungUpGetsTheOrderPlacedOnceAndTheFirstRequestIsAuditedOnce() throws IOException {
        WrittenOutput audit = WrittenOutput.from(WrittenOutput.AUDIT_LOG);
        String token = "kct-hangup-" + UUID.randomUUID();
        String key = "hangup-" + UUID.randomUUID();
        String correlationId = "hangup-" + UUID.randomUUID();
        // The provider answers well after the caller has gone.
        sandbox.enqueue(SandboxFault.delay(Duration.ofSeconds(2)));

        try (Socket caller = new Socket(InetAddress.getLoopbackAddress(), gateway.getPort())) {
            OutputStream out = caller.getOutputStream();
            out.write(request(token, key, correlationId));
            out.flush();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> sandbox.received().size() == 1);
        } // the caller hangs up while the provider is still working on the order

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !recordsFor(audit, correlationId)
                .isEmpty());
        List<JsonObject> records = recordsFor(audit, correlationId);
        assertEquals(1, records.size(), () -> "audit records of the abandoned request: " + records);
        assertEquals(200, records.get(0).getInteger("status"));
        assertEquals("ANSWERED", records.get(0).getString("upstream_outcome"));

        Response retry = Calls.as("orders-team", "main-shop")
                .header("Klarna-Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body(ORDER)
                .when()
                .post(Calls.CREATE_ORDER, token);
        retry.then().statusCode(200).header("Idempotent-Replayed", is("true"));
        assertEquals(1, sandbox.received().size(), "the provider saw one order");
        assertEquals(1, recordsFor(audit, correlationId).size(), "still exactly one record for the first request");
    }

    private static byte[] request(String token, String key, String correlationId) {
        byte[] body = ORDER.getBytes(StandardCharsets.UTF_8);
        String head = "POST /customer-token/v1/tokens/" + token + "/order HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Authorization: Bearer " + Tokens.forCaller("orders-team") + "\r\n"
                + "X-Merchant-Id: main-shop\r\n"
                + "Klarna-Idempotency-Key: " + key + "\r\n"
                + "X-Correlation-Id: " + correlationId + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head8, head8.length + body.length);
        System.arraycopy(body, 0, all, head8.length, body.length);
        return all;
    }

    private static List<JsonObject> recordsFor(WrittenOutput audit, String correlationId) {
        return Arrays.stream(audit.sinceStart().split("\n"))
                .filter(line -> line.startsWith("{"))
                .map(JsonObject::new)
                .filter(record -> correlationId.equals(record.getString("correlation_id")))
                .toList();
    }
}
