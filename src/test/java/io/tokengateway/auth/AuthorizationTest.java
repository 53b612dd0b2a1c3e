package io.tokengateway.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Tokens;

@QuarkusTest
class AuthorizationTest {

    @Inject
    SandboxServer sandbox;

    @BeforeEach
    void resetSandbox() {
        sandbox.reset();
    }

    @Test
    void aCallerMayNotActForAnotherTeamsMerchant() {
        given().auth()
                .oauth2(Tokens.forCaller("reader-team"))
                .header("X-Merchant-Id", "main-shop")
                .when()
                .get("/customer-token/v1/tokens/{token}", "kct-authz-1")
                .then()
                .statusCode(403)
                .body("error_code", is("FORBIDDEN"))
                .body("error_messages[0]", is("Caller 'reader-team' may not act for merchant 'main-shop'."));
        assertTrue(sandbox.received().isEmpty());
    }

    @Test
    void aMerchantThatIsNotConfiguredIsForbiddenLikeAnyOther() {
        given().auth()
                .oauth2(Tokens.forCaller("orders-team"))
                .header("X-Merchant-Id", "m99")
                .when()
                .get("/customer-token/v1/tokens/{token}", "kct-authz-1")
                .then()
                .statusCode(403)
                .body("error_code", is("FORBIDDEN"));
        assertTrue(sandbox.received().isEmpty());
    }

    @Test
    void aCallerMayNotCallAnOperationOutsideItsGrant() {
        given().auth()
                .oauth2(Tokens.forCaller("reader-team"))
                .contentType(ContentType.JSON)
                .body("{\"status\":\"CANCELLED\"}")
                .when()
                .patch("/customer-token/v1/tokens/{token}/status", "kct-authz-1")
                .then()
                .statusCode(403)
                .body("error_messages[0]", is("Caller 'reader-team' may not call cancel-token."));
        assertTrue(sandbox.received().isEmpty());
    }

    @Test
    void aCallerThePolicyDoesNotKnowMayDoNothing() {
        given().auth()
                .oauth2(Tokens.forCaller("team-unknown"))
                .header("X-Merchant-Id", "main-shop")
                .when()
                .get("/customer-token/v1/tokens/{token}", "kct-authz-1")
                .then()
                .statusCode(403)
                .body("error_code", is("FORBIDDEN"));
        assertTrue(sandbox.received().isEmpty());
    }
}
