package io.tokengateway.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SensitiveTextMaskerTest {

    final SensitiveTextMasker masker = new SensitiveTextMasker(List.of("main-shop-secret-Zq7"));

    @Test
    void customerTokensInPathsAndPairsKeepTheirFirstFourCharacters() {
        assertEquals(
                "GET /customer-token/v1/tokens/kct-…/order",
                masker.mask("GET /customer-token/v1/tokens/kct-9f8e7d6c5b4a/order"));
        assertEquals(
                "customer_token=abcd… and \"customerToken\": \"wxyz…\"",
                masker.mask("customer_token=abcdef12345 and \"customerToken\": \"wxyz-0987654\""));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/Tokens//kct-9f8e7d6c5b4a | /Tokens//kct-…",
                "/TOKENS/kct-9f8e7d6c5b4a | /TOKENS/kct-…",
                "/customer-token/v1//tokens///kct-9f8e7d6c5b4a/order | /customer-token/v1//tokens///kct-…/order",
                "GET //customer-token//v1//ToKeNs//abcdef123456//order?x=1 | GET //customer-token//v1//ToKeNs//abcd…//order?x=1",
                "/tokens/kct-9f8e7d6c5b4a | /tokens/kct-…",
                "tokens/kct-9f8e7d6c5b4a and /tokens/ab12cd34ef and /tokens/ | tokens/kct-9f8e7d6c5b4a and /tokens/ab12… and /tokens/",
                "/tokens/abcd/order and /tokens/{customerToken} | /tokens/abcd/order and /tokens/{customerToken}",
                "/mytokens/kct-9f8e7d6c5b4a and /tokensx/kct-9f8e7d6c5b4a | /mytokens/kct-9f8e7d6c5b4a and /tokensx/kct-9f8e7d6c5b4a",
                "/tokens//%6Bct-9f8e7d6c | /tokens//%6Bc…"
            })
    void tokenPathsAreMaskedWhateverTheCaseAndRepeatedSlashes(String text, String expected) {
        assertEquals(expected, masker.mask(text));
        assertEquals(masker.mask(text), masker.mask(masker.mask(text)));
    }

    @Test
    void aTokenPathWithoutATokenIsReturnedAsIs() {
        String text = "GET /customer-token/v1/tokens/ 404";
        assertSame(text, SensitiveTextMasker.maskTokensInPaths(text));
        String noPath = "no path here";
        assertSame(noPath, SensitiveTextMasker.maskTokensInPaths(noPath));
    }

    @Test
    void authorizationValuesBearerBasicAndJwtsAreRemoved() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZWFtLWEifQ.c2lnbmF0dXJl";
        assertEquals("Authorization: [removed]", masker.mask("Authorization: Bearer " + jwt));
        assertEquals(
                "{\"authorization\":\"[removed]\"}", masker.mask("{\"authorization\":\"Basic dXNlcjpwYXNzd29yZA==\"}"));
        assertEquals("header Bearer [removed] seen", masker.mask("header Bearer abcdefghijklmnop seen"));
        assertEquals("token [removed] seen", masker.mask("token " + jwt + " seen"));
        assertEquals("Basic [removed]", masker.mask("Basic dXNlcjpwYXNzd29yZA=="));
    }

    @Test
    void secretPairsAndConfiguredPasswordsAreRemovedWhereverTheyAppear() {
        assertEquals("password=[removed]&user=x", masker.mask("password=hunter2&user=x"));
        assertEquals("{\"api_key\": \"[removed]\"}", masker.mask("{\"api_key\": \"sk_live_123\"}"));
        assertEquals(
                "login failed for sandbox-main-shop with [removed]",
                masker.mask("login failed for sandbox-main-shop with main-shop-secret-Zq7"));
        String encoded = java.util.Base64.getEncoder().encodeToString("main-shop-secret-Zq7".getBytes());
        assertFalse(masker.mask("blob " + encoded).contains(encoded));
    }

    @Test
    void maskingIsIdempotent() {
        String text =
                "GET /customer-token/v1/tokens/kct-9f8e7d6c5b4a Authorization: Bearer abcdefghijkl password=pw card 4111111111111111";
        String once = masker.mask(text);
        assertEquals(once, masker.mask(once));
    }

    @Test
    void exceptionsAreRewrittenWithMaskedMessagesAndTheirStackTraces() {
        Exception original = new IllegalStateException(
                "failed for /customer-token/v1/tokens/kct-9f8e7d6c5b4a card 4111111111111111",
                new ConnectException("Authorization: Basic dXNlcjpwYXNzd29yZA=="));
        Throwable masked = MaskedThrowable.of(original, masker);
        StringWriter printed = new StringWriter();
        masked.printStackTrace(new PrintWriter(printed));
        String text = printed.toString();
        assertTrue(
                text.startsWith(
                        "java.lang.IllegalStateException: failed for /customer-token/v1/tokens/kct-… card ************1111"),
                text);
        assertTrue(text.contains("Caused by: java.net.ConnectException: Authorization: [removed]"), text);
        assertTrue(text.contains("SensitiveTextMaskerTest.exceptionsAreRewritten"), "stack frames kept");
        assertFalse(text.contains("kct-9f8e7d6c5b4a")
                || text.contains("4111111111111111")
                || text.contains("dXNlcjpwYXNzd29yZA"));
    }
}
