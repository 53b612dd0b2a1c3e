package io.tokengateway.auth;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokengateway.config.PolicyConfig;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.tokengateway.flow.testkit.TestConfig;
import io.tokengateway.flow.testkit.TestMerchants;
import io.tokengateway.merchant.Merchant;
import io.tokengateway.merchant.MerchantRegistry;

class AuthorizeStepTest {

    private final AuthorizeStep step = new AuthorizeStep();
    private final MerchantRegistry merchants;
    private final CallerPolicy callers;

    AuthorizeStepTest() {
        Map<String, String> properties = TestMerchants.with(
                TestMerchants.merchant("shop-eu", "http://127.0.0.1:1"),
                "merchants.shop-us.base-url",
                "http://127.0.0.1:1",
                "merchants.shop-us.username",
                "u",
                "merchants.shop-us.password",
                "p",
                "callers.two-shops.merchants",
                "shop-eu,shop-us",
                "callers.two-shops.operations",
                "read-token,create-order",
                "callers.one-shop.merchants",
                "shop-eu",
                "callers.one-shop.operations",
                "read-token");
        PolicyConfig config = TestConfig.policy(properties);
        this.merchants = MerchantRegistry.of(config.merchants());
        List<String> problems = new ArrayList<>();
        this.callers = CallerPolicy.build(config.callers(), merchants, problems);
        assertEquals(List.of(), problems);
    }

    /** A request under this test's policy, as the policy step establishes it. */
    private ExchangeBuilder underPolicy(ExchangeBuilder request) {
        return request.fact(CallerPolicy.FACT, callers).fact(MerchantRegistry.FACT, merchants);
    }

    @Test
    void aCallerWithOneMerchantNeedsNoMerchantHeader() {
        Exchange exchange =
                underPolicy(ExchangeBuilder.readToken()).caller("one-shop").build();
        assertThat(step.onRequest(exchange)).continues();
        assertEquals("shop-eu", exchange.require(Merchant.FACT).id());
    }

    @Test
    void aCallerWithSeveralMerchantsMustNameOne() {
        assertThat(step.onRequest(underPolicy(ExchangeBuilder.readToken())
                        .caller("two-shops")
                        .build()))
                .rejectsWith(GatewayError.MERCHANT_REQUIRED);
        Exchange named = underPolicy(ExchangeBuilder.readToken())
                .caller("two-shops")
                .merchantHeader("shop-us")
                .build();
        assertThat(step.onRequest(named)).continues();
        assertEquals("shop-us", named.require(Merchant.FACT).id());
    }

    @Test
    void defaultDeny() {
        assertThat(step.onRequest(underPolicy(ExchangeBuilder.readToken())
                        .caller("unknown-team")
                        .build()))
                .rejectsWith(GatewayError.FORBIDDEN);
        assertThat(step.onRequest(underPolicy(ExchangeBuilder.readToken())
                        .caller("one-shop")
                        .merchantHeader("shop-us")
                        .build()))
                .rejectsWith(GatewayError.FORBIDDEN);
        assertThat(step.onRequest(underPolicy(ExchangeBuilder.cancelToken())
                        .caller("two-shops")
                        .merchantHeader("shop-eu")
                        .build()))
                .rejectsWith(GatewayError.FORBIDDEN);
    }

    @Test
    void aRejectedRequestEstablishesNoMerchant() {
        Exchange exchange = underPolicy(ExchangeBuilder.readToken())
                .caller("one-shop")
                .merchantHeader("shop-us")
                .build();
        assertThat(step.onRequest(exchange)).rejectsWith(GatewayError.FORBIDDEN);
        assertEquals(java.util.Optional.empty(), exchange.fact(Merchant.FACT));
    }
}
