package io.tokengateway.management;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URL;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.InjectRedisServer;
import io.tokengateway.testing.Metrics;
import io.tokengateway.testing.RawHttp;
import io.tokengateway.testing.RedisServer;

/** What operators see: request metrics without request data in any label, and Redis reported in the readiness details, not as readiness. */
@QuarkusTest
class MetricsAndHealthTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @InjectRedisServer
    RedisServer redis;

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void requestsAreCountedByMerchantOperationAndOutcome() {
        String token = "kct-metrics-" + java.util.UUID.randomUUID();
        Calls.as("orders-team", "main-shop")
                .get("/customer-token/v1/tokens/{t}", token)
                .then()
                .statusCode(200);
        Calls.as("reader-team", "main-shop")
                .get("/customer-token/v1/tokens/{t}", token)
                .then()
                .statusCode(403);
        Metrics.assertSeries(
                metrics,
                "gateway_requests_seconds_count{merchant=\"main-shop\",operation=\"read-token\",outcome=\"2xx\"}");
        Metrics.assertSeries(
                metrics,
                "gateway_requests_seconds_count{merchant=\"none\",operation=\"read-token\",outcome=\"FORBIDDEN\"}");
        Metrics.assertSeries(
                metrics,
                "gateway_upstream_latency_seconds_bucket{merchant=\"main-shop\",operation=\"read-token\",status=\"2xx\"");
    }

    @Test
    void noLabelCarriesRequestDataWhateverTheOutcome() {
        String card = "4111111111111111";
        String token = "kct-LeakCheck-" + card;
        String orderPath = "/customer-token/v1/tokens/" + token + "/order";
        // 2xx through the pipeline
        Calls.as("orders-team", "main-shop")
                .get("/customer-token/v1/tokens/{t}", token)
                .then()
                .statusCode(200);
        // 404: not an operation, with a card number in the path and the query
        given().get("/v9/tokens/" + token + "?card=5555555555554444").then().statusCode(404);
        // 413 answered before routing: the declared length is over the limit, the body never read
        RawHttp.Answer tooLarge = RawHttp.send(
                gateway.getPort(),
                ("POST " + orderPath + " HTTP/1.1\r\nHost: x\r\n"
                                + "Content-Type: application/json\r\nContent-Length: 99999999\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII),
                5000);
        assertEquals(413, tooLarge.status());
        // 400 from the HTTP layer itself: an invalid percent-encoding in the path
        RawHttp.Answer unreadable = RawHttp.send(
                gateway.getPort(),
                ("GET /customer-token/v1/tokens/" + token
                                + "%zz/order HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII),
                5000);
        assertEquals(400, unreadable.status());

        Metrics.assertSeries(
                metrics,
                "gateway_requests_seconds_count{merchant=\"none\",operation=\"none\",outcome=\"PAYLOAD_TOO_LARGE\"}");
        for (String value : Metrics.labelValues(Metrics.scrape(metrics))) {
            assertFalse(
                    value.toLowerCase(java.util.Locale.ROOT).contains("kct-leakcheck")
                            || value.contains("/tokens/")
                            || value.contains(card)
                            || value.contains("5555555555554444"),
                    () -> "request data in the metric label value " + value);
        }
    }

    /** Redis is shared by every replica: its outage is reported, never a reason to leave the Service. */
    @Test
    void aRedisOutageIsReportedButKeepsTheReplicaReady() {
        redis.stop();
        try {
            given().when()
                    .get(ready)
                    .then()
                    .statusCode(200)
                    .body("status", is("UP"))
                    .body("checks.find { it.name == 'redis' }.data.redis", is("DOWN"));
            given().when().get(live).then().statusCode(200).body("status", is("UP"));
            Metrics.assertSeries(metrics, "gateway_redis_up 0.0");
        } finally {
            redis.start();
        }
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> "UP"
                        .equals(given().when()
                                .get(ready)
                                .jsonPath()
                                .getString("checks.find { it.name == 'redis' }.data.redis")));
        Metrics.assertSeries(metrics, "gateway_redis_up 1.0");
    }

    @Test
    void readinessSaysTheApiPortAccepts() {
        given().when().get(ready).then().statusCode(200).body("checks.find { it.name == 'api-port' }.status", is("UP"));
    }
}
