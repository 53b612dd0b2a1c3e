package io.tokengateway.api;

import static io.restassured.RestAssured.given;
import static io.tokengateway.testing.Upstream.basic;
import static io.tokengateway.testing.Upstream.single;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tokengateway.sandbox.RecordedRequest;
import io.tokengateway.sandbox.SandboxFault;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.Tokens;
import io.tokengateway.testing.Upstream;

@QuarkusTest
class TokenResourceTest {

    static final String TOKEN = "kct-4f1c9a2e-77aa";
    static final String ORDER =
            """
            {"purchase_currency":"EUR",  "order_amount":2500,"order_tax_amount":0,
             "order_lines":[{"name":"Shoe","quantity":1,"unit_price":2500,"total_amount":2500}],
             "some_future_field":{"x":[1,2.50,"é"]}}""";

    @Inject
    SandboxServer sandbox;

    @BeforeEach
    void resetSandbox() {
        sandbox.reset();
    }

    @Test
    void readTokenReachesUpstreamWithTheMerchantsCredentialsAndNothingOfTheCallers() {
        Calls.as("orders-team", "main-shop")
                .header("Cookie", "session=caller-cookie")
                .header("Proxy-Authorization", "Basic Y2FsbGVyOnNlY3JldA==")
                .header("X-Forwarded-For", "10.1.2.3")
                .header("X-Internal-Secret", "caller-only")
                .header("TE", "trailers")
                .when()
                .get(Calls.READ_TOKEN, TOKEN)
                .then()
                .statusCode(200)
                .header("Klarna-Correlation-Id", notNullValue())
                .header("X-Correlation-Id", notNullValue())
                .body("status", is("ACTIVE"));

        RecordedRequest upstream = single(sandbox.received());
        assertEquals("GET", upstream.method());
        assertEquals("/customer-token/v1/tokens/" + TOKEN, upstream.path());
        assertEquals(basic("sandbox-main-shop", "main-shop-secret-Zq7"), upstream.header("Authorization"));
        for (String stripped : new String[] {
            "cookie",
            "proxy-authorization",
            "x-forwarded-for",
            "x-internal-secret",
            "te",
            "x-merchant-id",
            "x-correlation-id"
        }) {
            assertNull(upstream.header(stripped), () -> stripped + " must not be forwarded");
        }
    }

    @Test
    void createOrderForwardsTheRawBodyByteForByteWithTheIdempotencyKey() {
        Calls.as("orders-team", "keyless-shop")
                .header("Klarna-Idempotency-Key", "order-" + UUID.randomUUID())
                .contentType(ContentType.JSON)
                .body(ORDER)
                .when()
                .post(Calls.CREATE_ORDER, TOKEN)
                .then()
                .statusCode(200)
                .body("order_id", not(emptyOrNullString()))
                .body("fraud_status", is("ACCEPTED"));

        RecordedRequest upstream = single(sandbox.received());
        assertEquals("POST", upstream.method());
        assertEquals("/customer-token/v1/tokens/" + TOKEN + "/order", upstream.path());
        assertEquals(ORDER, upstream.body());
        assertTrue(upstream.header("Klarna-Idempotency-Key").startsWith("order-"));
        assertEquals(basic("sandbox-keyless-shop", "keyless-shop-secret-Xw4"), upstream.header("Authorization"));
        assertTrue(upstream.header("Content-Type").startsWith("application/json"));
    }

    @Test
    void theIdempotencyKeyAliasIsForwardedAsTheProvidersHeader() {
        String aliasSuffix = UUID.randomUUID().toString();
        Calls.as("orders-team", "main-shop")
                .header("Idempotency-Key", "alias-key-" + aliasSuffix)
                .contentType(ContentType.JSON)
                .body(ORDER)
                .when()
                .post(Calls.CREATE_ORDER, TOKEN)
                .then()
                .statusCode(200);

        assertEquals("alias-key-" + aliasSuffix, single(sandbox.received()).header("Klarna-Idempotency-Key"));
    }

    @Test
    void cancelTokenAnswers202WithoutBodyAndTheTokenIsCancelledUpstream() {
        Calls.as("orders-team", "main-shop")
                .contentType(ContentType.JSON)
                .body("{\"status\":\"CANCELLED\"}")
                .when()
                .patch(Calls.CANCEL_TOKEN, "kct-to-cancel")
                .then()
                .statusCode(202)
                .body(is(""));

        Calls.as("orders-team", "main-shop")
                .when()
                .get(Calls.READ_TOKEN, "kct-to-cancel")
                .then()
                .statusCode(200)
                .body("status", is("CANCELLED"));

        Calls.as("orders-team", "main-shop")
                .header("Klarna-Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON)
                .body(ORDER)
                .when()
                .post(Calls.CREATE_ORDER, "kct-to-cancel")
                .then()
                .statusCode(403)
                .body("error_code", is("TOKEN_CANCELLED"));
    }

    @Test
    void upstreamErrorsPassThroughUnchanged() {
        Calls.as("orders-team", "main-shop")
                .when()
                .get(Calls.READ_TOKEN, "unknown-token-1")
                .then()
                .statusCode(404)
                .header("Klarna-Correlation-Id", notNullValue())
                .body("error_code", is("TOKEN_NOT_FOUND"));
    }

    @Test
    void anUpstream401MeansOurCredentialsAreWrongAndBecomes502() {
        Calls.as("orders-team", "wrong-credentials-shop")
                .when()
                .get(Calls.READ_TOKEN, TOKEN)
                .then()
                .statusCode(502)
                .body("error_code", is("UPSTREAM_AUTH_FAILED"))
                .body("error_messages.size()", is(1));
    }

    @Test
    void anUnreachableUpstreamIs503AndABrokenAnswerIs502() {
        Calls.as("orders-team", "unreachable-shop")
                .when()
                .get(Calls.READ_TOKEN, TOKEN)
                .then()
                .statusCode(503)
                .body("error_code", is("UPSTREAM_UNAVAILABLE"));

        sandbox.enqueue(SandboxFault.closeConnection(), Upstream.ATTEMPTS);
        Calls.as("orders-team", "main-shop")
                .when()
                .get(Calls.READ_TOKEN, TOKEN)
                .then()
                .statusCode(502)
                .body("error_code", is("UPSTREAM_ERROR"));
    }

    @Test
    void theCallersCorrelationIdIsEchoedAndOneIsGeneratedWhenAbsent() {
        Calls.as("orders-team", "main-shop")
                .header("X-Correlation-Id", "caller-corr-42")
                .when()
                .get(Calls.READ_TOKEN, TOKEN)
                .then()
                .statusCode(200)
                .header("X-Correlation-Id", is("caller-corr-42"));

        Calls.as("orders-team", "main-shop")
                .when()
                .get(Calls.READ_TOKEN, TOKEN)
                .then()
                .statusCode(200)
                .header("X-Correlation-Id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void aCallerWithSeveralMerchantsMustNameOne() {
        Calls.asCaller("orders-team")
                .when()
                .get(Calls.READ_TOKEN, TOKEN)
                .then()
                .statusCode(400)
                .body("error_code", is("MERCHANT_REQUIRED"))
                .body("correlation_id", notNullValue());
        assertTrue(sandbox.received().isEmpty());
    }

    @Test
    void aCallerWithOneMerchantNeedNotNameIt() {
        Calls.asCaller("reader-team").when().get(Calls.READ_TOKEN, TOKEN).then().statusCode(200);
        assertEquals(
                basic("sandbox-keyless-shop", "keyless-shop-secret-Xw4"),
                single(sandbox.received()).header("Authorization"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/customer-token/v1/tokens",
                "/customer-token/v1/tokens/abc/orders",
                "/customer-token/v2/tokens/abc",
                "/q/health",
                "/q/metrics",
                "/",
                "/customer-token/v1/tokens/abc/order/x"
            })
    void pathsOutsideTheApiAre404InTheProvidersErrorShape(String path) {
        Calls.as("orders-team", "main-shop")
                .when()
                .get(path)
                .then()
                .statusCode(404)
                .body("error_code", is("NOT_FOUND"))
                .body("error_messages.size()", is(1))
                .body("correlation_id", notNullValue());
        assertTrue(sandbox.received().isEmpty());
    }

    @Test
    void methodsOutsideTheApiAre404() {
        Calls.as("orders-team", "main-shop")
                .when()
                .delete(Calls.READ_TOKEN, TOKEN)
                .then()
                .statusCode(404)
                .body("error_code", is("NOT_FOUND"));
        Calls.as("orders-team", "main-shop")
                .contentType(ContentType.JSON)
                .body(ORDER)
                .when()
                .put(Calls.CREATE_ORDER, TOKEN)
                .then()
                .statusCode(404)
                .body("error_code", is("NOT_FOUND"));
        for (String method : new String[] {"HEAD", "OPTIONS", "TRACE"}) {
            for (String path :
                    new String[] {"/customer-token/v1/tokens/" + TOKEN, "/customer-token/v1/tokens/" + TOKEN + "/order"
                    }) {
                int status = Calls.as("orders-team", "main-shop")
                        .when()
                        .request(method, path)
                        .then()
                        .extract()
                        .statusCode();
                assertEquals(404, status, method + " " + path);
            }
        }
        assertTrue(sandbox.received().isEmpty(), "no upstream call for HEAD, OPTIONS or TRACE");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a%2Fb",
                "a%2fb",
                "a..b",
                "..",
                "-leading-dash",
                "a%00b",
                "a%20b",
                "a%5Cb",
                "a%252Fb",
                "%C3%A9t%C3%A9"
            })
    void malformedTokensNeverReachTheUpstream(String rawToken) {
        int status = given().urlEncodingEnabled(false)
                .auth()
                .oauth2(Tokens.forCaller("orders-team"))
                .header("X-Merchant-Id", "main-shop")
                .when()
                .get("/customer-token/v1/tokens/" + rawToken)
                .then()
                .body("error_code", org.hamcrest.Matchers.oneOf("BAD_REQUEST", "NOT_FOUND"))
                .extract()
                .statusCode();
        assertTrue(status == 400 || status == 404, "status " + status);
        assertTrue(sandbox.received().isEmpty());
    }

    @Test
    void aTokenLongerThan128CharactersIsRejected() {
        Calls.as("orders-team", "main-shop")
                .when()
                .get(Calls.READ_TOKEN, "k".repeat(129))
                .then()
                .statusCode(400)
                .body("error_code", is("BAD_REQUEST"));
        assertTrue(sandbox.received().isEmpty());
    }

    @Test
    void malformedGatewayHeadersAre400() {
        Calls.as("orders-team", "main-shop")
                .header("X-Correlation-Id", "has space")
                .when()
                .get(Calls.READ_TOKEN, TOKEN)
                .then()
                .statusCode(400)
                .body("error_code", is("BAD_REQUEST"))
                .header("X-Correlation-Id", matchesPattern("[0-9a-f-]{36}"));
        Calls.as("orders-team", "main-shop/../keyless-shop")
                .when()
                .get(Calls.READ_TOKEN, TOKEN)
                .then()
                .statusCode(400)
                .body("error_code", is("BAD_REQUEST"));
        assertTrue(sandbox.received().isEmpty());
    }

    @Test
    void aBodyOverTheLimitIs413BeforeAnythingElse() {
        String huge = "{\"merchant_data\":\"" + "x".repeat(1024 * 1024) + "\"}";
        Calls.as("orders-team", "main-shop")
                .contentType(ContentType.JSON)
                .body(huge)
                .when()
                .post(Calls.CREATE_ORDER, TOKEN)
                .then()
                .statusCode(413)
                .body("error_code", is("PAYLOAD_TOO_LARGE"))
                .body("error_messages", contains(equalTo("The request body is larger than 1048576 bytes.")));
        assertTrue(sandbox.received().isEmpty());
    }
}
