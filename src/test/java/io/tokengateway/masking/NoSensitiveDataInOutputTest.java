package io.tokengateway.masking;

import static io.restassured.RestAssured.given;
import static io.tokengateway.masking.CardNumbers.grouped;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tokengateway.sandbox.SandboxFault;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.Tokens;
import io.tokengateway.testing.WrittenOutput;

/**
 * Card numbers in every place a caller can put them (body fields, headers, the path, the query string)
 * and in an upstream error body, through requests that succeed and requests that are rejected: nothing of
 * them, no full customer token and no credential appears in anything the gateway wrote (log, access log,
 * audit trail).
 */
@QuarkusTest
class NoSensitiveDataInOutputTest {

    static final String VISA = "4111111111111111";
    static final String MASTERCARD = "5555555555554444";
    static final String AMEX = "378282246310005";
    static final String DISCOVER = "6011111111111117";
    static final String JCB = "3530111333300000";
    static final String DINERS = "30569309025904";
    static final String SECRET_TOKEN = "kct-7c1e4b9a-secret-part";

    @Inject
    SandboxServer sandbox;

    String order(String cardInMerchantData) {
        return "{\"purchase_currency\":\"EUR\",\"order_amount\":2500,\"order_tax_amount\":0,\"merchant_data\":\"pan "
                + cardInMerchantData + "\",\"order_lines\":[{\"name\":\"Shoe " + grouped(cardInMerchantData, ' ')
                + "\",\"quantity\":1,\"unit_price\":2500,\"total_amount\":2500}]}";
    }

    @Test
    void nothingSensitiveReachesAnyOutput() {
        WrittenOutput log = WrittenOutput.from(WrittenOutput.GATEWAY_LOG);
        WrittenOutput audit = WrittenOutput.from(WrittenOutput.AUDIT_LOG);
        String bearer = Tokens.forCaller("orders-team");
        List<Integer> statuses = new ArrayList<>();

        // Succeeds: card in the body, in the token (valid syntax), the correlation id, the idempotency key,
        // a custom header and the query string.
        statuses.add(given().auth()
                .oauth2(bearer)
                .header("X-Merchant-Id", "main-shop")
                .header("X-Correlation-Id", MASTERCARD)
                .header("Klarna-Idempotency-Key", grouped(AMEX, '-'))
                .header("X-Card", grouped(VISA, ' '))
                .queryParam("pan", DISCOVER)
                .contentType(ContentType.JSON)
                .body(order(VISA))
                .when()
                .post(Calls.CREATE_ORDER, JCB)
                .statusCode());
        // Succeeds: a secret-looking customer token in the path.
        statuses.add(given().auth()
                .oauth2(bearer)
                .header("X-Merchant-Id", "main-shop")
                .when()
                .get(Calls.READ_TOKEN, SECRET_TOKEN)
                .statusCode());
        // Upstream error body carrying a card number.
        sandbox.enqueue(SandboxFault.answer(
                400, "{\"error_code\":\"BAD_VALUE\",\"error_messages\":[\"card " + DINERS + " declined\"]}"));
        statuses.add(given().auth()
                .oauth2(bearer)
                .header("X-Merchant-Id", "main-shop")
                .header("Klarna-Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON)
                .body(order(MASTERCARD))
                .when()
                .post(Calls.CREATE_ORDER, SECRET_TOKEN)
                .statusCode());
        // Rejected by validation, authentication, authorization, routing; upstream credentials refused.
        statuses.add(given().auth()
                .oauth2(bearer)
                .header("X-Merchant-Id", "main-shop")
                .header("Klarna-Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON)
                .body(order(VISA).replace("2500}", "2600}"))
                .when()
                .post(Calls.CREATE_ORDER, VISA)
                .statusCode());
        statuses.add(given().header("Authorization", "Bearer " + VISA)
                .header("X-Merchant-Id", "main-shop")
                .when()
                .get(Calls.READ_TOKEN, SECRET_TOKEN)
                .statusCode());
        statuses.add(Calls.as("reader-team", "main-shop")
                .queryParam("card", VISA)
                .when()
                .get(Calls.READ_TOKEN, VISA)
                .statusCode());
        statuses.add(given().auth()
                .oauth2(bearer)
                .when()
                .get("/v9/cards/" + VISA + "?pan=" + AMEX)
                .statusCode());
        statuses.add(given().auth()
                .oauth2(bearer)
                .header("X-Merchant-Id", "wrong-credentials-shop")
                .when()
                .get(Calls.READ_TOKEN, SECRET_TOKEN)
                .statusCode());
        assertTrue(statuses.containsAll(List.of(200, 400, 401, 403, 404, 502)), statuses::toString);

        String written = log.sinceStart() + "\n" + audit.sinceStart();
        assertTrue(
                written.contains("access-log") && written.contains("\"decision\""),
                "the scan saw the access log and the audit trail");
        for (String card : List.of(VISA, MASTERCARD, AMEX, DISCOVER, JCB, DINERS)) {
            for (String shown : List.of(card, grouped(card, ' '), grouped(card, '-'))) {
                assertFalse(
                        written.contains(shown), () -> "card number in output: " + card.substring(card.length() - 4));
            }
        }
        assertFalse(written.contains(SECRET_TOKEN), "a full customer token in output");
        assertTrue(written.contains("kct-…"), "customer tokens shown as their first four characters");
        for (String secret : List.of(
                bearer,
                "main-shop-secret-Zq7",
                "not-the-password-9Kp",
                Base64.getEncoder().encodeToString("sandbox-main-shop:main-shop-secret-Zq7".getBytes()),
                Base64.getEncoder().encodeToString("sandbox-main-shop:not-the-password-9Kp".getBytes()))) {
            assertFalse(written.contains(secret), "a credential in output");
        }
    }
}
