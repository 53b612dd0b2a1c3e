package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokengateway.testing.PackagedGateway;
import io.tokengateway.testing.Tokens;

/**
 * The default sink, stdout, on the packaged jar with the console log switched off and the root level at
 * WARN: every request's record is on stdout by the time its answer arrives, and the trail verifies.
 */
class AuditUnsilencedIT {

    @Test
    void stdoutCarriesEveryRecordWithTheConsoleLogOffAndTheLevelAtWarn() throws Exception {
        try (PackagedGateway gateway = PackagedGateway.start(
                "audit-unsilenced", Map.of("quarkus.log.console.enable", "false", "quarkus.log.level", "WARN"))) {
            HttpClient client = HttpClient.newHttpClient();
            String bearer = Tokens.forCaller("orders-team");
            for (int i = 0; i < 12; i++) {
                String correlationId = "unsilenced-" + i;
                HttpRequest.Builder request = HttpRequest.newBuilder().header("X-Correlation-Id", correlationId);
                int expected =
                        switch (i % 3) {
                            case 0 -> {
                                request.uri(URI.create(gateway.baseUrl() + "/customer-token/v1/tokens/kct-quiet"))
                                        .header("Authorization", "Bearer " + bearer);
                                yield 200;
                            }
                            case 1 -> {
                                request.uri(URI.create(gateway.baseUrl() + "/customer-token/v1/tokens/kct-quiet"));
                                yield 401;
                            }
                            default -> {
                                request.uri(URI.create(gateway.baseUrl() + "/elsewhere"));
                                yield 404;
                            }
                        };
                assertEquals(
                        expected,
                        client.send(request.build(), HttpResponse.BodyHandlers.ofString())
                                .statusCode());
                assertTrue(
                        gateway.output().contains("\"correlation_id\":\"" + correlationId + "\""),
                        "no record of " + correlationId);
            }
            assertTrue(gateway.terminate(Duration.ofSeconds(30)) >= 0);
            assertTrue(!gateway.output().contains("INFO"), "the console log was off");
            PackagedGateway.Verdict verdict = PackagedGateway.verifyAudit(List.of(
                    "--public-key",
                    PackagedGateway.auditPublicKey(),
                    "--redis",
                    gateway.redis().url(),
                    gateway.outputFile().toString()));
            assertEquals(0, verdict.exitCode(), verdict.output());
        }
    }
}
