package io.tokengateway.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokengateway.audit.verify.AuditChainVerifier;
import io.tokengateway.testing.Calls;

/**
 * A file sink that cannot be written: the gateway answers 503 DEPENDENCY_UNAVAILABLE, stops acting (the
 * provider is not called) and reports not ready; once the file can be written again, readiness comes back
 * by itself, requests are served, and the trail admits what it could not write.
 */
@QuarkusTest
@TestProfile(AuditSinkFailureTest.BrokenFile.class)
class AuditSinkFailureTest extends FileSinkOutage {

    static final Path FILE = Path.of("target", "test-logs", "audit-failure", "audit.log");

    public static class BrokenFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return settings(FILE, "reject");
        }
    }

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    AuditSinkFailureTest() {
        super(FILE);
    }

    @Test
    void anUnwritableSinkAnswers503AndIsNotReadyUntilItWritesAgain() throws IOException {
        assertEquals(200, read("sink-ok"));
        given().get(ready).then().statusCode(200);

        makeUnwritable();
        try {
            Calls.as("orders-team", "main-shop")
                    .get("/customer-token/v1/tokens/{t}", "kct-sink-1")
                    .then()
                    .statusCode(503)
                    .header("Retry-After", "1")
                    .body("error_code", is("DEPENDENCY_UNAVAILABLE"));
            given().get(ready)
                    .then()
                    .statusCode(503)
                    .body("status", is("DOWN"))
                    .body("checks.find { it.name == 'audit-trail' }.status", is("DOWN"));
            sandbox.reset();
            assertEquals(503, read("sink-broken"));
            assertEquals(List.of(), sandbox.received(), "a gateway that cannot audit does not act");
            given().get("/no/such/path").then().statusCode(503).body("error_code", is("DEPENDENCY_UNAVAILABLE"));
        } finally {
            makeWritable();
        }

        // The writer probes the sink by itself: readiness returns without any request.
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> given().get(ready).statusCode() == 200);
        given().get(ready).then().body("checks.name", hasItem("audit-trail"));
        assertEquals(200, read("sink-recovered"));

        List<AuditChainVerifier.Line> ours = ourTrail();
        AuditChainVerifier.Report report = verify(ours);
        assertEquals(List.of(), report.breaks(), "the chain runs on over the outage");
        assertTrue(report.notes().stream().anyMatch(n -> n.contains("not written since")), report.notes()::toString);
        assertTrue(ours.stream().anyMatch(l -> l.text().contains("\"correlation_id\":\"sink-recovered\"")));
    }
}
