package io.tokengateway.order;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.StepResult;
import io.tokengateway.flow.testkit.ExchangeBuilder;

class OrderValidationStepTest {

    static final String ORDER = "{\"purchase_currency\":\"eur\",\"order_amount\":2500,\"order_tax_amount\":0,"
            + "\"order_lines\":[{\"name\":\"Shoe\",\"quantity\":1,\"unit_price\":2500,\"total_amount\":2500}]}";

    private final OrderValidationStep step = new OrderValidationStep(new OrderValidator());

    @Test
    void aValidOrderContinuesWithItsFacts() {
        Exchange exchange = ExchangeBuilder.createOrder(ORDER).build();
        assertThat(step.onRequest(exchange)).continues();
        assertEquals(new Order(2500, "EUR", 1), exchange.require(Order.FACT));
    }

    @Test
    void everyViolationIsReportedWithItsPath() {
        StepResult.Reject reject = assertThat(step.onRequest(
                        ExchangeBuilder.createOrder(ORDER.replace("\"total_amount\":2500", "\"total_amount\":2400"))
                                .build()))
                .rejectsWith(GatewayError.BAD_VALUE);
        assertTrue(
                reject.messages().stream().anyMatch(m -> m.startsWith("order_lines[0].total_amount")),
                reject.messages()::toString);
        assertTrue(reject.messages().stream().anyMatch(m -> m.startsWith("order_amount")), reject.messages()::toString);
    }

    @Test
    void aBodyThatIsNotJsonIs400() {
        assertThat(step.onRequest(ExchangeBuilder.createOrder(ORDER)
                        .contentType("text/plain")
                        .build()))
                .rejectsWith(GatewayError.BAD_REQUEST);
        assertThat(step.onRequest(
                        ExchangeBuilder.createOrder("{\"order_amount\":").build()))
                .rejectsWith(GatewayError.BAD_REQUEST);
    }

    @Test
    void aCancelMustBeExactlyCancelled() {
        assertThat(step.onRequest(ExchangeBuilder.cancelToken().build())).continues();
        assertThat(step.onRequest(ExchangeBuilder.cancelToken()
                        .body("{\"status\":\"ACTIVE\"}")
                        .build()))
                .rejectsWith(GatewayError.BAD_VALUE);
    }

    @Test
    void aReadHasNoBodyToCheck() {
        assertThat(step.onRequest(ExchangeBuilder.readToken().contentType(null).build()))
                .continues();
    }
}
