package io.tokengateway.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.Metrics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Every metric the Grafana dashboard queries, and every metric the alerts ({@code k8s/monitoring/prometheusrule.yaml})
 * read, is one the gateway publishes: neither can rot silently.
 */
@QuarkusTest
class DashboardTest {

    private static final Pattern METRIC = Pattern.compile("\\b((?:gateway|redis)_[a-z_]+)\\{?");

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    /**
     * Metrics published only after an event this test does not provoke, each with the test that proves the
     * gateway publishes it (that test's source must name the metric).
     */
    private static final Map<String, Path> PUBLISHED_ON_EVENT = Map.of(
            "gateway_redis_faults_total", Path.of("src/test/java/io/tokengateway/redis/RedisFaultTest.java"),
            "gateway_state_seal_failures_total",
                    Path.of("src/test/java/io/tokengateway/idempotency/SealedRecordsTest.java"),
            "gateway_tls_certificate_expiry_timestamp_seconds",
                    Path.of("src/test/java/io/tokengateway/api/ApiTlsTest.java"));

    @Test
    void everyQueriedMetricExists() throws IOException {
        traffic();
        JsonObject dashboard =
                new JsonObject(Files.readString(Path.of("docs", "grafana", "tokengateway-dashboard.json")));
        Set<String> queried = new TreeSet<>();
        JsonArray panels = dashboard.getJsonArray("panels");
        for (int p = 0; p < panels.size(); p++) {
            JsonArray targets = panels.getJsonObject(p).getJsonArray("targets");
            for (int t = 0; t < targets.size(); t++) {
                queried.addAll(metricsIn(targets.getJsonObject(t).getString("expr")));
            }
        }
        assertFalse(queried.isEmpty());
        String scrape = Metrics.scrape(metrics);
        for (String metric : queried) {
            assertTrue(
                    published(scrape, metric),
                    () -> "the dashboard queries " + metric + ", which the gateway does not publish");
        }
    }

    @Test
    void everyMetricTheAlertsReadExists() throws IOException {
        traffic();
        JsonNode rule = new ObjectMapper(new YAMLFactory())
                .readTree(Path.of("k8s", "monitoring", "prometheusrule.yaml").toFile());
        Set<String> read = new TreeSet<>();
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode alert : group.path("rules")) {
                read.addAll(metricsIn(alert.path("expr").asText()));
            }
        }
        assertTrue(read.size() >= 10, "metrics read by the alerts: " + read);
        String scrape = Metrics.scrape(metrics);
        List<String> problems = new ArrayList<>();
        for (String metric : read) {
            if (published(scrape, metric)) {
                continue;
            }
            Path proof = PUBLISHED_ON_EVENT.get(metric);
            if (proof == null || !Files.readString(proof).contains(metric)) {
                problems.add("an alert reads " + metric + ", which the gateway does not publish");
            }
        }
        assertEquals(List.of(), problems);
    }

    private static Set<String> metricsIn(String expression) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(expression);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static boolean published(String scrape, String metric) {
        return scrape.contains("\n" + metric + "{") || scrape.contains("\n" + metric + " ");
    }

    private static boolean trafficSent;

    /** Traffic that makes every gateway metric appear at least once (sent once: the app is shared). */
    private static synchronized void traffic() {
        if (trafficSent) {
            return;
        }
        trafficSent = true;
        Calls.as("orders-team", "main-shop")
                .header("Klarna-Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON)
                .body("{\"purchase_currency\":\"EUR\",\"order_amount\":100,\"order_tax_amount\":0,"
                        + "\"order_lines\":[{\"name\":\"x\",\"quantity\":1,\"unit_price\":100,\"total_amount\":100}]}")
                .post("/customer-token/v1/tokens/{t}/order", "kct-dash-1")
                .then()
                .statusCode(200);
        Calls.as("limits-team", "amount-limited-shop")
                .header("Klarna-Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON)
                .body("{\"purchase_currency\":\"EUR\",\"order_amount\":100,\"order_tax_amount\":0,"
                        + "\"order_lines\":[{\"name\":\"x\",\"quantity\":1,\"unit_price\":100,\"total_amount\":100}]}")
                .post("/customer-token/v1/tokens/{t}/order", "kct-dash-1")
                .then()
                .statusCode(200);
        Calls.as("orders-team", "unreachable-shop")
                .get("/customer-token/v1/tokens/{t}", "kct-dash-1")
                .then()
                .statusCode(503); // retried: connection refused
    }
}
