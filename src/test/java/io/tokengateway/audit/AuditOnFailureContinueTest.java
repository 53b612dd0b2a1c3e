package io.tokengateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokengateway.audit.verify.AuditChainVerifier;
import io.tokengateway.testing.LogCapture;
import io.tokengateway.testing.Metrics;
import io.vertx.core.json.JsonObject;

/**
 * {@code gateway.audit.on-failure=continue} while the sink fails: every request is served as usual (the provider
 * is called, the caller gets its answer, no 503), the records are counted as not written, the outage is logged
 * once (not per request), and once the sink writes again the trail admits exactly what was lost in a signed
 * {@code loss} record and still verifies.
 */
@QuarkusTest
@TestProfile(AuditOnFailureContinueTest.BrokenFileContinue.class)
class AuditOnFailureContinueTest extends FileSinkOutage {

    static final Path FILE = Path.of("target", "test-logs", "audit-on-failure-continue", "audit.log");
    static final int DURING_OUTAGE = 5;

    public static class BrokenFileContinue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return settings(FILE, "continue");
        }
    }

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    AuditOnFailureContinueTest() {
        super(FILE);
    }

    static double notWritten(String scrape) {
        Matcher m = Pattern.compile("(?m)^gateway_audit_records_not_written_total(?:\\{[^}]*\\})? ([0-9.eE+]+)$")
                .matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void aFailingSinkServesEveryRequestCountsLogsOnceAndAdmitsTheLoss() throws IOException {
        assertEquals(200, read("continue-before"));
        double before = notWritten(Metrics.scrape(metrics));

        makeUnwritable();
        try (LogCapture log = LogCapture.open()) {
            sandbox.reset();
            for (int i = 0; i < DURING_OUTAGE; i++) {
                assertEquals(200, read("continue-lost-" + i), "on-failure=continue answers as usual");
            }
            assertEquals(DURING_OUTAGE, sandbox.received().size(), "and acts: the provider was called");
            assertTrue(
                    notWritten(Metrics.scrape(metrics)) >= before + DURING_OUTAGE,
                    "every record not written is counted");
            long errors = log.lines().stream()
                    .filter(l -> l.startsWith("SEVERE") || l.startsWith("ERROR"))
                    .filter(l -> l.contains("Audit sink file failed"))
                    .count();
            assertEquals(1, errors, () -> "the outage is logged once, not per request:\n" + log.all());
        } finally {
            makeWritable();
        }

        Awaitility.await("the sink writes again").atMost(Duration.ofSeconds(10)).until(service::writing);
        assertEquals(200, read("continue-after"));

        List<AuditChainVerifier.Line> ours = ourTrail();
        assertTrue(ours.stream().noneMatch(l -> l.text().contains("continue-lost-")), "lost records are not there");
        JsonObject loss = ours.stream()
                .map(l -> new JsonObject(l.text()))
                .filter(r -> "loss".equals(r.getString("type")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no loss record"));
        assertTrue(loss.getLong("lost_records") >= DURING_OUTAGE, loss::encode);
        assertTrue(loss.getString("cause").endsWith("Exception"), loss::encode); // the class only, no message
        AuditChainVerifier.Report report = verify(ours);
        assertEquals(List.of(), report.breaks(), "the chain runs on over the outage, the loss admitted in it");
        assertTrue(ours.stream().anyMatch(l -> l.text().contains("\"correlation_id\":\"continue-after\"")));
    }
}
