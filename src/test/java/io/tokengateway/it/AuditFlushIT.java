package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokengateway.testing.CountingProvider;
import io.tokengateway.testing.PackagedGateway;
import io.tokengateway.testing.RawHttp;
import io.tokengateway.testing.Tokens;

/**
 * An audit record is on its way out of the process (written to stdout, not sitting in a buffer) by the
 * time the caller has its answer: a gateway killed right after answering loses no record.
 */
class AuditFlushIT {

    @Test
    void theRecordIsWrittenBeforeTheAnswerArrivesAndSurvivesAKill() {
        try (CountingProvider provider = new CountingProvider();
                PackagedGateway gateway = PackagedGateway.start(
                        "audit-flush",
                        Map.of(
                                "gateway.sandbox.enabled",
                                "false",
                                "gateway.merchants.main-shop.base-url",
                                provider.baseUrl()))) {
            String bearer = Tokens.forCaller("orders-team");
            for (int i = 0; i < 5; i++) {
                String correlationId = "flush-" + i;
                RawHttp.Answer answer = RawHttp.send(
                        gateway.port(),
                        ("GET /customer-token/v1/tokens/kct-flush HTTP/1.1\r\nHost: x\r\n"
                                        + "Connection: close\r\nAuthorization: Bearer " + bearer
                                        + "\r\nX-Correlation-Id: " + correlationId + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII),
                        10_000);
                assertEquals(200, answer.status());
                assertTrue(
                        gateway.output().contains("\"correlation_id\":\"" + correlationId + "\""),
                        "the audit record of " + correlationId + " was not written when its answer arrived");
            }
        }
    }
}
