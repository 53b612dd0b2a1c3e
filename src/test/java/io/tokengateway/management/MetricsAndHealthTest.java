package io.tokengateway.management;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URL;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengateway.testing.InjectRedisServer;
import io.tokengateway.testing.Metrics;
import io.tokengateway.testing.RedisServer;
import io.tokengateway.testing.Tokens;

/** What operators see: request metrics without request data in labels, and readiness that follows Redis. */
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

    @Test
    void requestsAreCountedByMerchantOperationAndOutcomeWithoutRequestDataInAnyLabel() {
        String token = "kct-metrics-4111111111111111";
        given().auth().oauth2(Tokens.forCaller("team-a")).header("X-Merchant-Id", "m1")
                .get("/customer-token/v1/tokens/{t}", token).then().statusCode(200);
        given().auth().oauth2(Tokens.forCaller("team-b")).header("X-Merchant-Id", "m1")
                .get("/customer-token/v1/tokens/{t}", token).then().statusCode(403);
        given().get("/v9/tokens/" + token + "?card=5555555555554444").then().statusCode(404);
        Metrics.assertSeries(metrics, "gateway_requests_seconds_count{merchant=\"m1\",operation=\"read-token\",outcome=\"2xx\"}");
        Metrics.assertSeries(metrics, "gateway_requests_seconds_count{merchant=\"none\",operation=\"read-token\",outcome=\"FORBIDDEN\"}");
        Metrics.assertSeries(metrics, "gateway_upstream_latency_seconds_bucket{merchant=\"m1\",operation=\"read-token\",status=\"2xx\"");
        String scrape = Metrics.scrape(metrics);
        assertFalse(scrape.contains("kct-metrics") || scrape.contains("4111") || scrape.contains("5555555555554444"),
                "request data in a metric label");
    }

    @Test
    void readinessFollowsRedisWhileLivenessStaysUp() {
        redis.stop();
        try {
            given().when().get(ready).then().statusCode(503).body("status", is("DOWN"));
            given().when().get(live).then().statusCode(200).body("status", is("UP"));
        } finally {
            redis.start();
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> given().when().get(ready).statusCode() == 200);
    }
}
