package io.tokengateway.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.Tokens;

@QuarkusTest
class AuthenticationTest {

    @Inject
    SandboxServer sandbox;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void resetSandbox() {
        sandbox.reset();
    }

    static Stream<Arguments> rejectedTokens() {
        return Stream.of(
                Arguments.of("unsigned (alg none)", Tokens.unsigned("orders-team")),
                Arguments.of("signed with an unknown key", Tokens.signedWithUnknownKey("orders-team")),
                Arguments.of("expired", Tokens.expired("orders-team")),
                Arguments.of("wrong issuer", Tokens.withIssuer("orders-team", "https://evil.example.com")),
                Arguments.of("wrong audience", Tokens.withAudience("orders-team", "some-other-service")),
                Arguments.of("not a JWT", "not-a-jwt"),
                Arguments.of("tampered payload", tampered(Tokens.forCaller("reader-team"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedTokens")
    void aBadBearerTokenIs401AndNeverReachesTheUpstream(String why, String token) {
        given().auth()
                .oauth2(token)
                .header("X-Merchant-Id", "main-shop")
                .contentType(ContentType.JSON)
                .body("{\"status\":\"CANCELLED\"}")
                .when()
                .patch(Calls.CANCEL_TOKEN, "kct-auth-1")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("error_code", is("UNAUTHORIZED"))
                .body("correlation_id", notNullValue());
        assertTrue(sandbox.received().isEmpty(), why + " reached the upstream");
    }

    @Test
    void aMissingBearerTokenIs401() {
        given().header("X-Merchant-Id", "main-shop")
                .when()
                .get(Calls.READ_TOKEN, "kct-auth-1")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", is("Bearer"))
                .body("error_code", is("UNAUTHORIZED"))
                .body("error_messages[0]", is("A bearer token is required."));
        given().header("Authorization", "Basic dGVhbS1hOnNlY3JldA==")
                .header("X-Merchant-Id", "main-shop")
                .when()
                .get(Calls.READ_TOKEN, "kct-auth-1")
                .then()
                .statusCode(401)
                .body("error_code", is("UNAUTHORIZED"));
        assertTrue(sandbox.received().isEmpty());
    }

    @Test
    void aTokenIsVerifiedOnceThenRecognisedAndATamperedCopyIsStillRefused() {
        String token = Tokens.forCaller("reader-team");
        double verified = tokenCache("miss");
        double recognised = tokenCache("hit");
        for (int i = 0; i < 3; i++) {
            given().auth()
                    .oauth2(token)
                    .when()
                    .get(Calls.READ_TOKEN, "kct-auth-1")
                    .then()
                    .statusCode(200);
        }
        assertEquals(verified + 1, tokenCache("miss"), "verified by Quarkus OIDC once");
        assertEquals(recognised + 2, tokenCache("hit"), "then recognised");

        // The same signature over another caller's claims is another header: verified, and refused.
        given().auth()
                .oauth2(tampered(token))
                .when()
                .get(Calls.READ_TOKEN, "kct-auth-1")
                .then()
                .statusCode(401);
    }

    private double tokenCache(String result) {
        return registry.get("gateway.auth.token_cache")
                .tag("result", result)
                .counter()
                .count();
    }

    @Test
    void theCallerIsNamedByTheFirstPresentConfiguredClaim() {
        // No azp and no client_id: the subject names the caller.
        given().auth()
                .oauth2(Tokens.withSubjectOnly("reader-team"))
                .when()
                .get(Calls.READ_TOKEN, "kct-auth-1")
                .then()
                .statusCode(200);
        // azp wins over sub: this token's subject is svc-reader-team, its azp reader-team.
        Calls.asCaller("reader-team")
                .when()
                .get(Calls.READ_TOKEN, "kct-auth-1")
                .then()
                .statusCode(200);
    }

    @Test
    void aKubernetesServiceAccountIsACallerNamedByItsSubject() {
        given().auth()
                .oauth2(Tokens.withSubjectOnly("system:serviceaccount:checkout:checkout-api"))
                .when()
                .get(Calls.READ_TOKEN, "kct-auth-1")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(Tokens.withSubjectOnly("system:serviceaccount:checkout:other"))
                .when()
                .get(Calls.READ_TOKEN, "kct-auth-1")
                .then()
                .statusCode(403);
    }

    private static String tampered(String jwt) {
        String[] parts = jwt.split("\\.");
        String payload =
                new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("reader-team", "orders-team");
        return parts[0] + "."
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
    }
}
