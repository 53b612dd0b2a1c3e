package io.tokengateway.auth;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;

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
        Calls.as("reader-team", "main-shop")
                .when()
                .get(Calls.READ_TOKEN, "kct-authz-1")
                .then()
                .statusCode(403)
                .body("error_code", is("FORBIDDEN"))
                .body("error_messages[0]", is("Caller 'reader-team' may not act for merchant 'main-shop'."));
        assertTrue(sandbox.received().isEmpty());
    }

    @Test
    void aMerchantThatIsNotConfiguredIsForbiddenLikeAnyOther() {
        Calls.as("orders-team", "m99")
                .when()
                .get(Calls.READ_TOKEN, "kct-authz-1")
                .then()
                .statusCode(403)
                .body("error_code", is("FORBIDDEN"));
        assertTrue(sandbox.received().isEmpty());
    }

    @Test
    void aCallerMayNotCallAnOperationOutsideItsGrant() {
        Calls.asCaller("reader-team")
                .contentType(ContentType.JSON)
                .body("{\"status\":\"CANCELLED\"}")
                .when()
                .patch(Calls.CANCEL_TOKEN, "kct-authz-1")
                .then()
                .statusCode(403)
                .body("error_messages[0]", is("Caller 'reader-team' may not call cancel-token."));
        assertTrue(sandbox.received().isEmpty());
    }

    @Test
    void aCallerThePolicyDoesNotKnowMayDoNothing() {
        Calls.as("team-unknown", "main-shop")
                .when()
                .get(Calls.READ_TOKEN, "kct-authz-1")
                .then()
                .statusCode(403)
                .body("error_code", is("FORBIDDEN"));
        assertTrue(sandbox.received().isEmpty());
    }
}
