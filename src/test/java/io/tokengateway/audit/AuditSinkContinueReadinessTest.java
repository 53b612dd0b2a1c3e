package io.tokengateway.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokengateway.testing.Calls;

/**
 * With {@code gateway.audit.on-failure=continue} a failing file sink still takes the replica out of the Service:
 * requests are served (unaudited, counted as lost), but readiness is DOWN until the sink writes again, so the
 * Service sends callers to replicas that can audit.
 */
@QuarkusTest
@TestProfile(AuditSinkContinueReadinessTest.BrokenFileContinue.class)
class AuditSinkContinueReadinessTest {

    static final Path FILE = Path.of("target", "test-logs", "audit-failure-continue", "audit.log");

    public static class BrokenFileContinue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.audit.file.path", FILE.toString(),
                    "gateway.audit.retry-interval", "100ms",
                    "gateway.audit.on-failure", "continue");
        }
    }

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    int read(String correlationId) {
        return Calls.as("orders-team", "main-shop")
                .header("X-Correlation-Id", correlationId)
                .get("/customer-token/v1/tokens/{t}", "kct-sink-continue-1")
                .statusCode();
    }

    @Test
    void anUnwritableSinkServesUnauditedButIsNotReadyUntilItWritesAgain() throws IOException {
        assertEquals(200, read("continue-ok"));
        given().get(ready).then().statusCode(200);

        Files.move(FILE, FILE.resolveSibling("audit.log.before-failure"), StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectory(FILE); // the path now names something no record can be appended to
        try {
            assertEquals(200, read("continue-broken"), "on-failure=continue serves the request");
            Awaitility.await("readiness DOWN while the own sink fails")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> given().get(ready).statusCode() == 503);
            given().get(ready)
                    .then()
                    .statusCode(503)
                    .body("checks.find { it.name == 'audit-trail' }.status", is("DOWN"))
                    .body("checks.find { it.name == 'audit-trail' }.data.writing", is(false));
        } finally {
            Files.delete(FILE);
        }

        Awaitility.await("readiness back once the sink writes")
                .atMost(Duration.ofSeconds(10))
                .until(() -> given().get(ready).statusCode() == 200);
        assertEquals(200, read("continue-recovered"));
    }
}
