package io.tokengateway.upstream;

import static io.restassured.RestAssured.given;
import static io.tokengateway.testing.Upstream.basic;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tokengateway.sandbox.SandboxFault;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.LogCapture;
import io.tokengateway.testing.Tokens;
import io.tokengateway.testing.Upstream;

/**
 * Merchant passwords, their encoded Basic form and callers' bearer tokens never appear in any log
 * line or any answer, whatever happens upstream: success, rejected credentials, unreachable, broken off.
 */
@QuarkusTest
class CredentialsNeverLeakTest {

    @Inject
    SandboxServer sandbox;

    @Test
    void noCredentialAppearsInLogsOrAnswers() {
        String bearer = Tokens.forCaller("orders-team");
        List<String> answers = new ArrayList<>();
        String logs;
        try (LogCapture capture = LogCapture.open()) {
            for (String merchant : List.of("main-shop", "keyless-shop", "wrong-credentials-shop", "unreachable-shop")) {
                answers.add(given().auth()
                        .oauth2(bearer)
                        .header("X-Merchant-Id", merchant)
                        .when()
                        .get(Calls.READ_TOKEN, "kct-leak-1")
                        .then()
                        .extract()
                        .asString());
                answers.add(given().auth()
                        .oauth2(bearer)
                        .header("X-Merchant-Id", merchant)
                        .contentType(ContentType.JSON)
                        .body("{\"order_amount\":1}")
                        .when()
                        .post(Calls.CREATE_ORDER, "kct-leak-1")
                        .then()
                        .extract()
                        .asString());
            }
            sandbox.enqueue(SandboxFault.closeConnection(), Upstream.ATTEMPTS);
            answers.add(given().auth()
                    .oauth2(bearer)
                    .header("X-Merchant-Id", "main-shop")
                    .when()
                    .get(Calls.READ_TOKEN, "kct-leak-1")
                    .then()
                    .extract()
                    .asString());
            answers.add(given().auth()
                    .oauth2(Tokens.expired("orders-team"))
                    .header("X-Merchant-Id", "main-shop")
                    .when()
                    .get(Calls.READ_TOKEN, "kct-leak-1")
                    .then()
                    .extract()
                    .asString());
            logs = capture.all();
        }
        assertTrue(
                logs.contains("UPSTREAM") || logs.contains("wrong-credentials-shop"),
                "the capture saw the gateway's own log lines");

        List<String> secrets = List.of(
                "main-shop-secret-Zq7",
                "keyless-shop-secret-Xw4",
                "not-the-password-9Kp",
                "unreachable-secret-Hh2",
                basic("sandbox-main-shop", "main-shop-secret-Zq7").substring(6),
                basic("sandbox-keyless-shop", "keyless-shop-secret-Xw4").substring(6),
                basic("sandbox-main-shop", "not-the-password-9Kp").substring(6),
                bearer);
        for (String secret : secrets) {
            assertFalse(logs.contains(secret), "a credential appeared in the logs");
            answers.forEach(answer -> assertFalse(answer.contains(secret), "a credential appeared in an answer"));
        }
    }
}
