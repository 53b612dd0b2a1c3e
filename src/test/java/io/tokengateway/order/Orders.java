package io.tokengateway.order;

import java.nio.charset.StandardCharsets;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Builds order bodies for tests; every helper returns a fresh, mutable JSON object. */
final class Orders {

    private Orders() {}

    static JsonObject line(String type, long quantity, long unitPrice, long discount, long taxRate) {
        long total = quantity * unitPrice - discount;
        long tax = total - total * 10_000 / (10_000 + taxRate);
        JsonObject line = new JsonObject()
                .put("name", "Item " + type)
                .put("quantity", quantity)
                .put("unit_price", unitPrice)
                .put("total_amount", total)
                .put("tax_rate", taxRate)
                .put("total_tax_amount", tax)
                .put("type", type);
        if (discount != 0) {
            line.put("total_discount_amount", discount);
        }
        return line;
    }

    /** A VAT order whose totals are the sums of its lines. */
    static JsonObject vatOrder(JsonObject... lines) {
        long amount = 0;
        long tax = 0;
        JsonArray array = new JsonArray();
        for (JsonObject line : lines) {
            amount += line.getLong("total_amount");
            tax += line.getLong("total_tax_amount", 0L);
            array.add(line);
        }
        return new JsonObject()
                .put("purchase_currency", "EUR")
                .put("order_amount", amount)
                .put("order_tax_amount", tax)
                .put("order_lines", array);
    }

    static JsonObject simple() {
        return vatOrder(line("physical", 2, 5000, 0, 2500));
    }

    static byte[] bytes(JsonObject order) {
        return order.encode().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
