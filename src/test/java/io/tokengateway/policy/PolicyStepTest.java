package io.tokengateway.policy;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokengateway.auth.CallerPolicy;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.PolicyVersion;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.tokengateway.flow.testkit.TestConfig;
import io.tokengateway.flow.testkit.TestMerchants;
import io.tokengateway.limit.LimitPolicies;
import io.tokengateway.merchant.MerchantRegistry;

class PolicyStepTest {

    private static Policy policy(String version, String perSecond) {
        PolicyValidator.Validation validation = PolicyValidator.validate(
                TestConfig.policy(TestMerchants.with(
                        TestMerchants.merchant("main-shop", "http://127.0.0.1:1"),
                        "merchants.main-shop.rate-limit.per-second",
                        perSecond,
                        "callers.orders-team.merchants",
                        "main-shop",
                        "callers.orders-team.operations",
                        "read-token")),
                version,
                null);
        return ((PolicyValidator.Valid) validation).policy();
    }

    @Test
    void aRequestRunsUnderThePolicyCurrentWhenItStartedUntilItsEnd() {
        List<List<Policy>> drained = new ArrayList<>();
        Policy first = policy("v1", "10");
        PolicyHolder<Policy> holder = new PolicyHolder<>(first, drained::add);
        PolicyStep step = new PolicyStep(holder);
        Exchange exchange = ExchangeBuilder.readToken().build();

        assertThat(step.onRequest(exchange)).continues();
        holder.swap(policy("v2", "1"));

        assertEquals(new PolicyVersion("v1"), exchange.require(PolicyVersion.FACT));
        assertSame(first.callers(), exchange.require(CallerPolicy.FACT));
        assertSame(first.merchants(), exchange.require(MerchantRegistry.FACT));
        assertEquals(10.0, exchange.require(LimitPolicies.FACT).of("main-shop").perSecond());
        assertEquals(List.of(), drained, "v1 is still in use");

        step.onResponse(
                        exchange,
                        GatewayResponse.passedThrough(200, Map.of(), io.vertx.core.buffer.Buffer.buffer("{}")))
                .await()
                .indefinitely();
        assertEquals(1, drained.size(), "released on the way out: v1 drained");
        assertEquals("v2", drained.get(0).get(0).version());

        Exchange next = ExchangeBuilder.readToken().build();
        assertThat(step.onRequest(next)).continues();
        assertEquals(new PolicyVersion("v2"), next.require(PolicyVersion.FACT));
    }
}
