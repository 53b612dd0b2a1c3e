package io.tokengateway.upstream;

import static io.tokengateway.testing.Upstream.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tokengateway.sandbox.RecordedRequest;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.LogCapture;

/**
 * Global {@code quarkus.rest-client.*} settings are meant for other REST clients: the provider's clients
 * keep their own. Here settings that would change what reaches the provider or a log are turned the wrong
 * way globally (HTTP/2, another user agent, request logging, redirects, no host verification), and the
 * provider still receives exactly the gateway's headers over HTTP/1.1, and the client logs nothing.
 */
@QuarkusTest
@TestProfile(ProviderClientSettingsTest.Profile.class)
class ProviderClientSettingsTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.rest-client.logging.scope", "request-response",
                    "quarkus.rest-client.logging.body-limit", "10000",
                    "quarkus.log.category.\"org.jboss.resteasy.reactive.client.logging\".level", "DEBUG",
                    "quarkus.rest-client.user-agent", "not-the-gateway",
                    "quarkus.rest-client.http2", "true",
                    "quarkus.rest-client.follow-redirects", "true",
                    "quarkus.rest-client.verify-host", "false");
        }
    }

    @Inject
    SandboxServer sandbox;

    @Test
    void theProviderGetsOnlyTheGatewaysHeadersAndNothingIsLogged() {
        sandbox.reset();
        String logs;
        try (LogCapture capture = LogCapture.open()) {
            Calls.as("orders-team", "main-shop")
                    .header("Klarna-Idempotency-Key", "settings-key-1")
                    .contentType(ContentType.JSON)
                    .body(ResilienceTest.ORDER)
                    .when()
                    .post(Calls.CREATE_ORDER, "kct-settings-1")
                    .then()
                    .statusCode(200);
            Calls.as("orders-team", "main-shop")
                    .when()
                    .get(Calls.READ_TOKEN, "kct-settings-1")
                    .then()
                    .statusCode(200);
            logs = capture.all();
        }
        List<RecordedRequest> received = sandbox.received();
        assertEquals(2, received.size());
        assertEquals(ProviderRequestHeaders.ORDER, received.get(0).headers().keySet());
        assertEquals(ProviderRequestHeaders.BODYLESS, received.get(1).headers().keySet());
        received.forEach(request -> assertEquals("tokengateway", request.header("User-Agent")));
        // The client's request logging would print the Authorization header and the URL with the token; the log
        // filter would mask them, but nothing should be logged to begin with.
        assertFalse(logs.contains("org.jboss.resteasy.reactive.client.logging"), "the REST client logged a call");
        assertFalse(
                logs.contains(basic("sandbox-main-shop", "main-shop-secret-Zq7").substring(6)), "credentials logged");
        assertFalse(logs.contains("kct-settings-1"), "a customer token logged");
    }
}
