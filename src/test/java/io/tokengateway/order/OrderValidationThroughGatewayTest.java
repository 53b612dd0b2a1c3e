package io.tokengateway.order;

import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;

/** Through the running gateway: a rejected body touches nothing upstream, and says everything that is wrong. */
@QuarkusTest
class OrderValidationThroughGatewayTest {

    @Inject
    SandboxServer sandbox;

    @BeforeEach
    void resetSandbox() {
        sandbox.reset();
    }

    @Test
    void anInvalidOrderIs400WithEveryViolationAndTheUpstreamIsNotCalled() {
        String order =
                """
                {"purchase_currency":"EUR","order_amount":5000,"order_tax_amount":999,
                 "order_lines":[
                   {"name":"Shoe","quantity":2,"unit_price":2500,"total_amount":4000,"tax_rate":2500,"total_tax_amount":800},
                   {"name":"","quantity":1,"unit_price":-100,"total_amount":-100,"type":"physical"},
                   {"name":"Gift","quantity":1.5,"unit_price":100,"total_amount":100}]}""";
        Calls.as("orders-team", "main-shop")
                .header("Klarna-Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON)
                .body(order)
                .when()
                .post(Calls.CREATE_ORDER, "kct-validate-1")
                .then()
                .statusCode(400)
                .body("error_code", is("BAD_VALUE"))
                .body(
                        "error_messages",
                        hasItems(
                                "order_lines[0].total_amount: expected 5000 (quantity 2 × unit_price 2500 − total_discount_amount 0), got 4000",
                                "order_lines[1].name: expected 1-255 characters, got 0",
                                "order_lines[1].unit_price: expected a non-negative amount on a physical line (only discount, gift_card and "
                                        + "store_credit lines may be negative), got -100",
                                "order_lines[2].quantity: expected an integer in minor units, got 1.5 (fractions and exponents are not allowed)",
                                "order_amount: expected 4000 (the sum of order_lines[].total_amount), got 5000"))
                .body("error_messages.size()", is(6));
        assertTrue(sandbox.received().isEmpty());
    }

    @Test
    void malformedJsonIs400BadRequest() {
        Calls.as("orders-team", "main-shop")
                .header("Klarna-Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON)
                .body("{\"order_amount\": 1,")
                .when()
                .post(Calls.CREATE_ORDER, "kct-validate-1")
                .then()
                .statusCode(400)
                .body("error_code", is("BAD_REQUEST"));
        assertTrue(sandbox.received().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/xml"})
    void aBodyThatIsNotDeclaredJsonIs400(String contentType) {
        Calls.as("orders-team", "main-shop")
                .contentType(contentType)
                .body("{\"status\":\"CANCELLED\"}")
                .when()
                .patch(Calls.CANCEL_TOKEN, "kct-validate-1")
                .then()
                .statusCode(400)
                .body("error_code", is("BAD_REQUEST"))
                .body("error_messages[0]", is("Content-Type must be application/json."));
        assertTrue(sandbox.received().isEmpty());
    }

    @Test
    void cancelTokenAcceptsOnlyCancelled() {
        Calls.as("orders-team", "main-shop")
                .contentType(ContentType.JSON)
                .body("{\"status\":\"ACTIVE\"}")
                .when()
                .patch(Calls.CANCEL_TOKEN, "kct-validate-1")
                .then()
                .statusCode(400)
                .body("error_code", is("BAD_VALUE"));
        Calls.as("orders-team", "main-shop")
                .contentType("application/json; charset=UTF-8")
                .body("{\"status\":\"CANCELLED\"}")
                .when()
                .patch(Calls.CANCEL_TOKEN, "kct-validate-1")
                .then()
                .statusCode(202);
    }

    @Test
    void validationComesAfterAuthorization() {
        Calls.asCaller("reader-team")
                .contentType(ContentType.JSON)
                .body("not json")
                .when()
                .post(Calls.CREATE_ORDER, "kct-validate-1")
                .then()
                .statusCode(403)
                .body("error_code", is("FORBIDDEN"));
    }
}
