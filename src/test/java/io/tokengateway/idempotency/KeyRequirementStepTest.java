package io.tokengateway.idempotency;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.tokengateway.merchant.Credentials;
import io.tokengateway.merchant.Merchant;

class KeyRequirementStepTest {

    private final KeyRequirementStep step = new KeyRequirementStep();

    @Test
    void anOrderWithoutAKeyIs400WhereTheMerchantRequiresOne() {
        assertThat(step.onRequest(ExchangeBuilder.createOrder("{}")
                        .merchant(ExchangeBuilder.merchant("main-shop"))
                        .build()))
                .rejectsWith(GatewayError.IDEMPOTENCY_KEY_REQUIRED);
    }

    @Test
    void anOrderWithAKeyContinues() {
        assertThat(step.onRequest(ExchangeBuilder.createOrder("{}")
                        .idempotencyKey("k1")
                        .merchant(ExchangeBuilder.merchant("main-shop"))
                        .build()))
                .continues();
    }

    @Test
    void aMerchantThatDoesNotRequireOneLetsTheOrderThrough() {
        Merchant relaxed =
                new Merchant("keyless-shop", URI.create("http://127.0.0.1:1"), Credentials.basic("u", "p"), false);
        assertThat(step.onRequest(
                        ExchangeBuilder.createOrder("{}").merchant(relaxed).build()))
                .continues();
    }

    @Test
    void otherOperationsNeedNoKey() {
        assertThat(step.onRequest(ExchangeBuilder.cancelToken()
                        .merchant(ExchangeBuilder.merchant("main-shop"))
                        .build()))
                .continues();
        assertThat(step.onRequest(ExchangeBuilder.readToken()
                        .merchant(ExchangeBuilder.merchant("main-shop"))
                        .build()))
                .continues();
    }
}
