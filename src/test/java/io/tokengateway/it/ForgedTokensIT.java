package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tokengateway.testing.CountingProvider;
import io.tokengateway.testing.PackagedGateway;
import io.tokengateway.testing.RawHttp;
import io.tokengateway.testing.Tokens;
import io.vertx.core.json.JsonObject;

/** Forged and misused bearer tokens against the packaged gateway: all rejected, none reaching the provider. */
class ForgedTokensIT {

    static CountingProvider provider;
    static PackagedGateway gateway;

    @BeforeAll
    static void start() {
        provider = new CountingProvider();
        gateway = PackagedGateway.start(
                "forged-tokens",
                Map.of(
                        "gateway.sandbox.enabled", "false",
                        "gateway.merchants.main-shop.base-url", provider.baseUrl(),
                        "gateway.merchants.keyless-shop.base-url", provider.baseUrl(),
                        "gateway.merchants.keyless-shop.username", "other-team",
                        "gateway.merchants.keyless-shop.password", "other-team-secret",
                        "gateway.callers.reader-team.merchants", "keyless-shop",
                        "gateway.callers.reader-team.operations", "read-token"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        provider.close();
    }

    static RawHttp.Answer read(String bearer, String merchant) {
        return RawHttp.send(
                gateway.port(),
                ("GET /customer-token/v1/tokens/kct-forged-1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                + "Authorization: Bearer " + bearer + "\r\nX-Merchant-Id: " + merchant + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII),
                10_000);
    }

    @Test
    void everyForgedTokenIs401() {
        byte[] publicKey = Tokens.publishedPublicKey();
        Map<String, String> forged = new LinkedHashMap<>();
        forged.put("alg none", Tokens.unsigned("orders-team"));
        forged.put("HS256 keyed with the public key (DER)", Tokens.hs256WithPublicKey("orders-team", publicKey));
        forged.put(
                "HS256 keyed with the public key (PEM)",
                Tokens.hs256WithPublicKey(
                        "orders-team",
                        ("-----BEGIN PUBLIC KEY-----\n"
                                        + Base64.getMimeEncoder().encodeToString(publicKey)
                                        + "\n-----END PUBLIC KEY-----\n")
                                .getBytes(StandardCharsets.US_ASCII)));
        forged.put("signed with another key", Tokens.signedWithUnknownKey("orders-team"));
        forged.put("expired", Tokens.expired("orders-team"));
        forged.put("not yet valid", Tokens.notYetValid("orders-team"));
        forged.put("wrong issuer", Tokens.withIssuer("orders-team", "https://attacker.example"));
        forged.put("wrong audience", Tokens.withAudience("orders-team", "another-service"));
        forged.put("signature stripped", Tokens.forCaller("orders-team").replaceAll("\\.[^.]+$", "."));
        forged.put("payload swapped", swapPayload(Tokens.forCaller("reader-team"), Tokens.forCaller("orders-team")));
        forged.forEach((what, token) -> {
            RawHttp.Answer answer = read(token, "main-shop");
            assertEquals(401, answer.status(), what);
            assertEquals("UNAUTHORIZED", new JsonObject(answer.body()).getString("error_code"), what);
            assertTrue(answer.headers().get("www-authenticate").startsWith("Bearer"), what);
        });
        assertEquals(0, provider.calls(), "a forged token reached the provider");
        System.out.println("Forged tokens: " + forged.size() + " kinds tried, all 401, 0 reached the provider");
    }

    @Test
    void aValidTokenCannotReachAnotherTeamsMerchantOrOperation() {
        assertEquals(
                403,
                read(Tokens.forCaller("orders-team"), "keyless-shop").status(),
                "orders-team on reader-team's merchant");
        assertEquals(
                403,
                read(Tokens.forCaller("reader-team"), "main-shop").status(),
                "reader-team on orders-team's merchant");
        String order = "{\"purchase_currency\":\"EUR\",\"order_amount\":1,\"order_tax_amount\":0,"
                + "\"order_lines\":[{\"name\":\"x\",\"quantity\":1,\"unit_price\":1,\"total_amount\":1}]}";
        RawHttp.Answer write = RawHttp.send(
                gateway.port(),
                ("POST /customer-token/v1/tokens/kct-forged-1/order HTTP/1.1\r\nHost: x\r\n"
                                + "Connection: close\r\nAuthorization: Bearer " + Tokens.forCaller("reader-team")
                                + "\r\nX-Merchant-Id: keyless-shop\r\n"
                                + "Content-Type: application/json\r\nKlarna-Idempotency-Key: " + UUID.randomUUID()
                                + "\r\nContent-Length: "
                                + order.length() + "\r\n\r\n" + order)
                        .getBytes(StandardCharsets.US_ASCII),
                10_000);
        assertEquals(403, write.status(), "reader-team may only read");
        assertEquals(
                403, read(Tokens.forCaller("team-unknown"), "main-shop").status(), "a caller the policy does not know");
        assertEquals(0, provider.calls());
    }

    /** Another caller's claims under this token's signature. */
    static String swapPayload(String signedFor, String claimsFrom) {
        String[] target = signedFor.split("\\.");
        String[] source = claimsFrom.split("\\.");
        return target[0] + "." + source[1] + "." + target[2];
    }
}
