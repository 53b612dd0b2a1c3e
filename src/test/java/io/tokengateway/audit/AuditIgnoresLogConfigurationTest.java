package io.tokengateway.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokengateway.testing.Calls;
import io.vertx.core.json.JsonObject;

/**
 * No log level or log handler configuration touches the audit trail: with the root level at WARN (which
 * silenced the INFO audit category of old) and no console or file log at all, every request still has its record.
 * (The stdout sink with the console off is tested on the packaged jar: AuditUnsilencedIT.)
 */
@QuarkusTest
@TestProfile(AuditIgnoresLogConfigurationTest.Quiet.class)
class AuditIgnoresLogConfigurationTest {

    static final Path FILE = Path.of("target", "test-logs", "audit-quiet.log");

    public static class Quiet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Root level only: a category level set here would outlive this profile's application in the test JVM.
            return Map.of(
                    "quarkus.log.level",
                    "WARN",
                    "quarkus.log.console.enable",
                    "false",
                    "quarkus.log.file.enable",
                    "false",
                    "quarkus.http.access-log.enabled",
                    "false",
                    "gateway.audit.file.path",
                    FILE.toString());
        }
    }

    @Inject
    AuditService service;

    @Test
    void everyRequestIsAuditedWhateverTheLogConfiguration() throws IOException {
        for (int i = 0; i < 20; i++) {
            int status =
                    switch (i % 4) {
                        case 0 ->
                            Calls.as("orders-team", "main-shop")
                                    .header("X-Correlation-Id", "quiet-" + i)
                                    .get("/customer-token/v1/tokens/{t}", "kct-quiet")
                                    .statusCode();
                        case 1 ->
                            given().header("X-Correlation-Id", "quiet-" + i)
                                    .get("/customer-token/v1/tokens/{t}", "kct-quiet")
                                    .statusCode();
                        case 2 ->
                            given().header("X-Correlation-Id", "quiet-" + i)
                                    .get("/no/such/path")
                                    .statusCode();
                        default ->
                            Calls.as("reader-team", "main-shop")
                                    .header("X-Correlation-Id", "quiet-" + i)
                                    .get("/customer-token/v1/tokens/{t}", "kct-quiet")
                                    .statusCode();
                    };
            assertEquals(List.of(200, 401, 404, 403).get(i % 4), status);
        }
        Map<String, Long> perRequest = Files.readAllLines(FILE).stream()
                .filter(line -> line.contains("\"instance\":\"" + service.instance() + "\""))
                .map(JsonObject::new)
                .filter(r -> r.getString("correlation_id", "").startsWith("quiet-"))
                .collect(Collectors.groupingBy(r -> r.getString("correlation_id"), Collectors.counting()));
        assertEquals(20, perRequest.size(), perRequest::toString);
        assertEquals(
                Map.of(1L, 20L),
                perRequest.values().stream()
                        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting())));
    }
}
