package io.tokengateway.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.tokengateway.error.GatewayError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Valid orders of random shape pass; corrupting any one total or tax of a valid order, by any amount
 * the tolerance does not cover, is caught and named.
 */
class OrderValidatorProperties {

    private final OrderValidator validator = new OrderValidator();

    /** One line's inputs; its totals and tax are computed as the provider's own formula would. */
    record LineSpec(String type, long quantity, long unitPrice, long discountPercent, long taxRate) {

        JsonObject toJson() {
            long signedPrice = isNegativeType() ? -unitPrice : unitPrice;
            long discount = isNegativeType() ? 0 : quantity * unitPrice * discountPercent / 100;
            long total = quantity * signedPrice - discount;
            long tax = total - total * 10_000 / (10_000 + taxRate);
            JsonObject line = new JsonObject()
                    .put("name", type + " line")
                    .put("type", type)
                    .put("quantity", quantity)
                    .put("unit_price", signedPrice)
                    .put("total_amount", total)
                    .put("tax_rate", taxRate)
                    .put("total_tax_amount", tax);
            if (discount > 0) {
                line.put("total_discount_amount", discount);
            }
            return line;
        }

        boolean isNegativeType() {
            return type.equals("discount") || type.equals("gift_card") || type.equals("store_credit");
        }
    }

    @Provide
    Arbitrary<JsonObject> validOrders() {
        Arbitrary<LineSpec> positive = Combinators.combine(
                        Arbitraries.of("physical", "digital", "shipping_fee", "surcharge"),
                        Arbitraries.longs().between(0, 50),
                        Arbitraries.longs().between(0, 200_000),
                        Arbitraries.longs().between(0, 30),
                        Arbitraries.of(0L, 600L, 1000L, 1200L, 1900L, 2000L, 2100L, 2500L, 2700L))
                .as(LineSpec::new);
        Arbitrary<LineSpec> negative = Combinators.combine(
                        Arbitraries.of("discount", "gift_card", "store_credit"),
                        Arbitraries.longs().between(1, 3),
                        Arbitraries.longs().between(0, 1_000),
                        Arbitraries.just(0L),
                        Arbitraries.of(0L, 1900L, 2500L))
                .as(LineSpec::new);
        Arbitrary<List<LineSpec>> lines = Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, positive), net.jqwik.api.Tuple.of(1, negative))
                .list()
                .ofMinSize(1)
                .ofMaxSize(40);
        return Combinators.combine(lines, Arbitraries.of("EUR", "SEK", "NOK", "GBP", "DKK", "chf"))
                .as((specs, currency) -> {
                    JsonArray array = new JsonArray();
                    long amount = 0;
                    long tax = 0;
                    for (LineSpec spec : specs) {
                        JsonObject line = spec.toJson();
                        amount += line.getLong("total_amount");
                        tax += line.getLong("total_tax_amount");
                        array.add(line);
                    }
                    return new JsonObject()
                            .put("purchase_currency", currency)
                            .put("order_amount", amount)
                            .put("order_tax_amount", tax)
                            .put("order_lines", array);
                })
                .filter(order -> order.getLong("order_amount") >= 1 && order.getLong("order_tax_amount") >= 0);
    }

    @Property(tries = 300)
    void validOrdersOfAnyShapePass(@ForAll("validOrders") JsonObject order) {
        Order accepted = validator.validateOrder(Orders.bytes(order));
        assertEquals(order.getLong("order_amount"), accepted.amount());
        assertEquals(order.getJsonArray("order_lines").size(), accepted.lineCount());
    }

    enum Target {
        LINE_TOTAL,
        LINE_TAX,
        ORDER_AMOUNT,
        ORDER_TAX
    }

    @Property(tries = 300)
    void anySingleCorruptionOfATotalOrTaxIsCaught(
            @ForAll("validOrders") JsonObject order,
            @ForAll Target target,
            @ForAll @IntRange(min = 0, max = 1000) int lineSeed,
            @ForAll @IntRange(min = 2, max = 1_000_000) int magnitude,
            @ForAll boolean up) {
        long delta = up ? magnitude : -magnitude;
        JsonArray lines = order.getJsonArray("order_lines");
        int index = lineSeed % lines.size();
        String expectedPath =
                switch (target) {
                    case LINE_TOTAL ->
                        corrupt(
                                lines.getJsonObject(index),
                                "total_amount",
                                delta,
                                "order_lines[" + index + "].total_amount");
                    case LINE_TAX ->
                        corrupt(
                                lines.getJsonObject(index),
                                "total_tax_amount",
                                delta,
                                "order_lines[" + index + "].total_tax_amount");
                    case ORDER_AMOUNT -> corrupt(order, "order_amount", delta, "order_amount");
                    case ORDER_TAX -> corrupt(order, "order_tax_amount", delta, "order_tax_amount");
                };
        InvalidBodyException rejected =
                assertThrows(InvalidBodyException.class, () -> validator.validateOrder(Orders.bytes(order)));
        assertEquals(GatewayError.BAD_VALUE, rejected.error());
        assertTrue(
                rejected.messages().stream().anyMatch(message -> message.startsWith(expectedPath + ":")),
                () -> "no violation names " + expectedPath + " in " + rejected.messages());
    }

    private static String corrupt(JsonObject holder, String field, long delta, String path) {
        holder.put(field, holder.getLong(field) + delta);
        return path;
    }
}
