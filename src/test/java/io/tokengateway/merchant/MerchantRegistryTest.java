package io.tokengateway.merchant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokengateway.config.PolicyConfig.MerchantConfig;
import io.tokengateway.config.PolicyConfig.MerchantRateLimitConfig;
import io.tokengateway.config.PolicyConfig.OrderLimitConfig;

class MerchantRegistryTest {

    record Config(URI baseUrl, String username, String secret) implements MerchantConfig {
        @Override
        public java.util.Optional<String> password() {
            return java.util.Optional.of(secret);
        }

        @Override
        public java.util.Optional<String> passwordFile() {
            return java.util.Optional.empty();
        }

        @Override
        public boolean idempotencyRequired() {
            return true;
        }

        // Limits are the limit package's concern; the registry never reads them.
        @Override
        public MerchantRateLimitConfig rateLimit() {
            throw new UnsupportedOperationException();
        }

        @Override
        public OrderLimitConfig orderLimit() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean shadow() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void buildsTheBasicHeaderAndNormalisesTheBaseUrl() {
        MerchantRegistry registry = MerchantRegistry.of(Map.of(
                "main-shop", new Config(URI.create("https://api.playground.kustom.co/"), "PK123_abc", "s3cr3t")));
        Merchant merchant = registry.find("main-shop").orElseThrow();
        assertEquals(
                "https://api.playground.kustom.co/customer-token/v1/tokens/t1",
                merchant.url("/customer-token/v1/tokens/t1"));
        assertEquals("Basic UEsxMjNfYWJjOnMzY3IzdA==", merchant.credentials().authorizationHeader());
    }

    @Test
    void anUpperCaseSchemeIsStillTls() {
        // The REST client decides on TLS by the scheme's exact text: HTTPS:// must not become cleartext to port 80.
        Merchant merchant = MerchantRegistry.of(Map.of(
                        "main-shop", new Config(URI.create("HTTPS://api.playground.kustom.co"), "user", "secret")))
                .find("main-shop")
                .orElseThrow();
        assertEquals("https", merchant.baseUrl().getScheme());
    }

    @Test
    void aMerchantPrintsWithoutItsCredentials() {
        Merchant merchant = MerchantRegistry.of(
                        Map.of("main-shop", new Config(URI.create("https://api.example"), "user", "pa55word-xyz")))
                .find("main-shop")
                .orElseThrow();
        String printed = merchant.toString();
        assertFalse(printed.contains("pa55word-xyz"));
        assertFalse(
                printed.contains(merchant.credentials().authorizationHeader().substring(6)));
        assertTrue(printed.contains("redacted"));
    }

    @Test
    void aBadMerchantStopsTheStartAndTheMessageNamesThePropertyNotTheSecret() {
        IllegalStateException failure = assertThrows(
                IllegalStateException.class,
                () -> MerchantRegistry.of(Map.of(
                        "main-shop", new Config(URI.create("ftp://api.example"), "user", "hunter2-pw"),
                        "keyless-shop", new Config(URI.create("https://api.example?x=1"), "us:er", " "))));
        assertTrue(failure.getMessage().contains("gateway.merchants.main-shop.base-url"));
        assertTrue(failure.getMessage().contains("gateway.merchants.keyless-shop.base-url"));
        assertTrue(failure.getMessage().contains("gateway.merchants.keyless-shop.username"));
        assertTrue(failure.getMessage().contains("gateway.merchants.keyless-shop.password"));
        assertFalse(failure.getMessage().contains("hunter2-pw"));
    }

    /** Merchant ids end up in Redis ACL key patterns ({@code ~tg:*{<merchant>}*}): no glob character, brace or space. */
    @Test
    void aMerchantIdThatWouldWidenARedisKeyPatternStopsTheStart() {
        Config valid = new Config(URI.create("https://api.example"), "user", "pa55word-xyz");
        for (String id : java.util.List.of("shop*", "shop?", "sh[o]p", "shop}", "{shop", "sh op", "shop\t", "sh\\op")) {
            IllegalStateException failure =
                    assertThrows(IllegalStateException.class, () -> MerchantRegistry.of(Map.of(id, valid)), id);
            assertTrue(failure.getMessage().contains("gateway.merchants." + id), failure.getMessage());
            assertTrue(failure.getMessage().contains("must not contain"), failure.getMessage());
        }
        // ids as the manifests and tests use them stay valid
        for (String id : java.util.List.of("main-shop", "m1", "shop_EU.2", "shop:de")) {
            assertTrue(MerchantRegistry.of(Map.of(id, valid)).contains(id), id);
        }
    }
}
