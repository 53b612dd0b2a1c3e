package io.tokengateway.syntax;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.testkit.ExchangeBuilder;

class RequestSyntaxStepTest {

    private final RequestSyntaxStep step = new RequestSyntaxStep();

    @Test
    void aWellFormedRequestContinues() {
        assertThat(step.onRequest(ExchangeBuilder.createOrder("{}")
                        .token("kct_AbC-9:x.y")
                        .merchantHeader("main-shop")
                        .idempotencyKey("key 1")
                        .correlationIdHeader("corr-1")
                        .build()))
                .continues();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-starts-with-dash", "has..dots", "has/slash", "has%2Fencoded", "späť"})
    void aMalformedTokenIs400(String token) {
        assertThat(step.onRequest(ExchangeBuilder.readToken()
                        .token(token)
                        .rawPath("/customer-token/v1/tokens/x")
                        .build()))
                .rejectsWith(GatewayError.BAD_REQUEST);
    }

    @Test
    void aTokenOfMoreThan128CharactersIs400() {
        assertThat(step.onRequest(
                        ExchangeBuilder.readToken().token("t".repeat(129)).build()))
                .rejectsWith(GatewayError.BAD_REQUEST);
    }

    @Test
    void aPathThatOnlyNormalisesToTheOperationsPathIs400() {
        assertThat(step.onRequest(ExchangeBuilder.readToken()
                        .token("kct-1")
                        .rawPath("/customer-token/v1/tokens/../tokens/kct-1")
                        .build()))
                .rejectsWith(GatewayError.BAD_REQUEST);
        assertThat(step.onRequest(ExchangeBuilder.readToken()
                        .token("kct-1")
                        .rawPath("/customer-token/v1//tokens/kct-1")
                        .build()))
                .rejectsWith(GatewayError.BAD_REQUEST);
    }

    @Test
    void malformedHeadersAre400() {
        assertThat(step.onRequest(ExchangeBuilder.readToken()
                        .correlationIdHeader("has space")
                        .build()))
                .rejectsWith(GatewayError.BAD_REQUEST);
        assertThat(step.onRequest(ExchangeBuilder.readToken()
                        .merchantHeader("main-shop/../keyless-shop")
                        .build()))
                .rejectsWith(GatewayError.BAD_REQUEST);
        assertThat(step.onRequest(ExchangeBuilder.createOrder("{}")
                        .idempotencyKey("k".repeat(256))
                        .build()))
                .rejectsWith(GatewayError.BAD_IDEMPOTENCY_KEY);
        assertThat(step.onRequest(
                        ExchangeBuilder.createOrder("{}").idempotencyKey("clé").build()))
                .rejectsWith(GatewayError.BAD_IDEMPOTENCY_KEY);
    }
}
