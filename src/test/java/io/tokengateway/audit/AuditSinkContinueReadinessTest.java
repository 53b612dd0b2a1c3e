package io.tokengateway.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With {@code gateway.audit.on-failure=continue} a failing file sink still takes the replica out of the Service:
 * requests are served (unaudited, counted as lost), but readiness is DOWN until the sink writes again, so the
 * Service sends callers to replicas that can audit.
 */
@QuarkusTest
@TestProfile(AuditSinkContinueReadinessTest.BrokenFileContinue.class)
class AuditSinkContinueReadinessTest extends FileSinkOutage {

    static final Path FILE = Path.of("target", "test-logs", "audit-failure-continue", "audit.log");

    public static class BrokenFileContinue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return settings(FILE, "continue");
        }
    }

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    AuditSinkContinueReadinessTest() {
        super(FILE);
    }

    @Test
    void anUnwritableSinkServesUnauditedButIsNotReadyUntilItWritesAgain() throws IOException {
        assertEquals(200, read("continue-ok"));
        given().get(ready).then().statusCode(200);

        makeUnwritable();
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
            makeWritable();
        }

        Awaitility.await("readiness back once the sink writes")
                .atMost(Duration.ofSeconds(10))
                .until(() -> given().get(ready).statusCode() == 200);
        assertEquals(200, read("continue-recovered"));
    }
}
