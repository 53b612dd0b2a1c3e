package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokengateway.testing.PackagedGateway;
import io.tokengateway.testing.Tokens;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * JSON logs on, as the manifests run the gateway: every line of its output (log, access log, audit trail) is a
 * JSON object; an audit record is told apart from a log line by its own fields, so a collector can route them
 * apart; and the masking holds in JSON as in text: no card number or full customer token in any line.
 */
class JsonLogsIT {

    private static final String CARD = "4111111111111111";
    private static final String TOKEN = "kct-9f2b7d1e-secret-tail";

    @Test
    void everyLineIsJsonAuditRecordsAreRoutableAndNothingSensitiveIsInClear() throws Exception {
        List<String> lines;
        try (PackagedGateway gateway =
                PackagedGateway.start("json-logs", Map.of("quarkus.log.console.json.enabled", "true"))) {
            HttpClient client = HttpClient.newHttpClient();
            String bearer = Tokens.forCaller("orders-team");
            // A read that succeeds, one that fails upstream, an unknown path with a card number, a forged token.
            assertEquals(200, send(client, gateway.baseUrl() + "/customer-token/v1/tokens/" + TOKEN, bearer));
            send(client, gateway.baseUrl() + "/customer-token/v1/tokens/kct-" + CARD, bearer);
            assertEquals(404, send(client, gateway.baseUrl() + "/v9/" + CARD + "?pan=" + CARD, bearer));
            assertEquals(401, send(client, gateway.baseUrl() + "/customer-token/v1/tokens/" + TOKEN, "forged." + CARD));
            assertTrue(gateway.terminate(Duration.ofSeconds(30)) >= 0, "an orderly exit, with its final lines");
            lines = gateway.output().lines().filter(line -> !line.isBlank()).toList();
        }

        List<String> notJson = new ArrayList<>();
        int audit = 0;
        int logs = 0;
        for (String line : lines) {
            JsonObject json;
            try {
                json = new JsonObject(line);
            } catch (DecodeException e) {
                notJson.add(line);
                continue;
            }
            if (json.containsKey("hash") && json.containsKey("seq")) {
                audit++;
                assertFalse(json.containsKey("level") || json.containsKey("loggerName"), line);
            } else {
                logs++;
                assertTrue(json.containsKey("level") && json.containsKey("loggerName"), line);
            }
            assertFalse(line.contains(CARD), "a card number in clear: " + line);
            assertFalse(line.contains(TOKEN), "a customer token in clear: " + line);
        }
        assertEquals(List.of(), notJson, "lines that are not JSON");
        assertTrue(audit >= 5, "audit records: start, four requests, checkpoint; found " + audit);
        assertTrue(logs >= 5, "log lines: start-up, access log, shutdown; found " + logs);
        assertTrue(
                lines.stream().anyMatch(line -> line.contains("\"loggerName\":\"io.quarkus.http.access-log\"")),
                "the access log is JSON too");
    }

    private static int send(HttpClient client, String url, String bearer) throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + bearer)
                        .header("X-Merchant-Id", "main-shop")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }
}
