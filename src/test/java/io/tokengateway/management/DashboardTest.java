package io.tokengateway.management;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tokengateway.testing.Metrics;
import io.tokengateway.testing.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Every metric the Grafana dashboard queries is one the gateway publishes: the dashboard cannot rot silently. */
@QuarkusTest
class DashboardTest {

    private static final Pattern METRIC = Pattern.compile("\\b((?:gateway|redis)_[a-z_]+)\\{?");

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void everyQueriedMetricExists() throws IOException {
        // Traffic that makes every gateway metric appear at least once.
        given().auth()
                .oauth2(Tokens.forCaller("orders-team"))
                .header("X-Merchant-Id", "main-shop")
                .header("Klarna-Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON)
                .body("{\"purchase_currency\":\"EUR\",\"order_amount\":100,\"order_tax_amount\":0,"
                        + "\"order_lines\":[{\"name\":\"x\",\"quantity\":1,\"unit_price\":100,\"total_amount\":100}]}")
                .post("/customer-token/v1/tokens/{t}/order", "kct-dash-1")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.forCaller("limits-team"))
                .header("X-Merchant-Id", "amount-limited-shop")
                .header("Klarna-Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON)
                .body("{\"purchase_currency\":\"EUR\",\"order_amount\":100,\"order_tax_amount\":0,"
                        + "\"order_lines\":[{\"name\":\"x\",\"quantity\":1,\"unit_price\":100,\"total_amount\":100}]}")
                .post("/customer-token/v1/tokens/{t}/order", "kct-dash-1")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.forCaller("orders-team"))
                .header("X-Merchant-Id", "unreachable-shop")
                .get("/customer-token/v1/tokens/{t}", "kct-dash-1")
                .then()
                .statusCode(503); // retried: connection refused

        JsonObject dashboard =
                new JsonObject(Files.readString(Path.of("docs", "grafana", "tokengateway-dashboard.json")));
        Set<String> queried = new TreeSet<>();
        JsonArray panels = dashboard.getJsonArray("panels");
        for (int p = 0; p < panels.size(); p++) {
            JsonArray targets = panels.getJsonObject(p).getJsonArray("targets");
            for (int t = 0; t < targets.size(); t++) {
                Matcher m = METRIC.matcher(targets.getJsonObject(t).getString("expr"));
                while (m.find()) {
                    queried.add(m.group(1));
                }
            }
        }
        assertFalse(queried.isEmpty());
        String scrape = Metrics.scrape(metrics);
        for (String metric : queried) {
            assertTrue(
                    scrape.contains("\n" + metric + "{") || scrape.contains("\n" + metric + " "),
                    () -> "the dashboard queries " + metric + ", which the gateway does not publish");
        }
    }
}
