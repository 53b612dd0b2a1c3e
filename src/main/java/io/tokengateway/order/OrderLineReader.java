package io.tokengateway.order;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads one element of {@code order_lines}: the schema of the provider's {@code order_line}, field by
 * field, into {@link LineFacts} for the arithmetic.
 */
final class OrderLineReader {

    static final long MAX_ABS_PRICE = 100_000_000L;

    private static final List<String> TYPES = List.of(
            "physical", "discount", "shipping_fee", "sales_tax", "digital", "gift_card", "store_credit", "surcharge");
    private static final String TYPES_LISTED =
            "physical, discount, shipping_fee, sales_tax, digital, gift_card, " + "store_credit, surcharge";
    private static final List<String> INTERVALS = List.of("DAY", "WEEK", "MONTH", "YEAR");

    private final FieldReader reader;
    private final JsonParser parser;

    OrderLineReader(FieldReader reader, JsonParser parser) {
        this.reader = reader;
        this.parser = parser;
    }

    /** Reads the line at the parser's current value; null when it is not an object. */
    LineFacts read(int index) throws IOException {
        reader.atLine(index);
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            reader.atLine(-1);
            reader.violation(
                    "order_lines[" + index + "]",
                    "expected an object, got " + FieldReader.describe(parser.currentToken()));
            reader.skip();
            return null;
        }
        reader.openObject();
        LineFacts line = new LineFacts();
        boolean hasName = false;
        boolean sawQuantity = false;
        boolean sawUnitPrice = false;
        boolean sawTotalAmount = false;
        for (String field = reader.nextField(); field != null; field = reader.nextField()) {
            switch (field) {
                case "name" -> {
                    hasName = true;
                    reader.string(field, 1, 255);
                }
                case "quantity" -> {
                    sawQuantity = true;
                    line.hasQuantity = reader.integerAtLeast(field, 0);
                    line.quantity = reader.value();
                    line.numbersUsable &= line.hasQuantity;
                }
                case "unit_price" -> {
                    sawUnitPrice = true;
                    line.hasUnitPrice = price(field);
                    line.unitPrice = reader.value();
                    line.numbersUsable &= line.hasUnitPrice;
                }
                case "total_amount" -> {
                    sawTotalAmount = true;
                    line.hasTotalAmount = price(field);
                    line.totalAmount = reader.value();
                    line.numbersUsable &= line.hasTotalAmount;
                }
                case "total_discount_amount" -> {
                    boolean ok = reader.integerAtLeast(field, 0);
                    line.discount = ok ? reader.value() : 0;
                    line.numbersUsable &= ok;
                }
                case "total_tax_amount" -> {
                    line.hasTaxAmount = reader.integer(field);
                    line.taxAmount = reader.value();
                    line.numbersUsable &= line.hasTaxAmount;
                }
                case "tax_rate" -> {
                    line.hasTaxRate = reader.integerAtLeast(field, 0);
                    line.taxRate = reader.value();
                    line.numbersUsable &= line.hasTaxRate;
                }
                case "type" -> line.type = reader.enumeration(field, TYPES, TYPES_LISTED) ? reader.text() : null;
                case "reference" -> reader.string(field, 0, 256);
                case "quantity_unit" -> reader.string(field, 1, 8);
                case "merchant_data" -> reader.string(field, 0, 255);
                case "image_url", "product_url" -> reader.string(field, 0, 1024);
                case "product_identifiers" -> TextObjectSchema.PRODUCT_IDENTIFIERS.read(reader, parser);
                case "subscription" -> subscription();
                default -> reader.skip();
            }
        }
        if (!hasName) {
            reader.violation("name", "required, missing");
        }
        required(sawQuantity, "quantity", line);
        required(sawUnitPrice, "unit_price", line);
        required(sawTotalAmount, "total_amount", line);
        reader.atLine(-1);
        return line;
    }

    private void required(boolean present, String field, LineFacts line) {
        if (!present) {
            reader.violation(field, "required, missing");
            line.numbersUsable = false;
        }
    }

    /** unit_price and total_amount: integers with |value| at most 100000000. */
    private boolean price(String field) throws IOException {
        if (!reader.integer(field)) {
            return false;
        }
        long value = reader.value();
        if (value > MAX_ABS_PRICE || value < -MAX_ABS_PRICE) {
            reader.violation(field, "expected an absolute value of at most " + MAX_ABS_PRICE + ", got " + value);
            return false;
        }
        return true;
    }

    private void subscription() throws IOException {
        if (!reader.object("subscription")) {
            return;
        }
        reader.inObject("subscription");
        boolean name = false;
        boolean interval = false;
        boolean count = false;
        for (String field = reader.nextField(); field != null; field = reader.nextField()) {
            switch (field) {
                case "name" -> {
                    name = true;
                    reader.string(field, 1, 255);
                }
                case "interval" -> {
                    interval = true;
                    reader.enumeration(field, INTERVALS, "DAY, WEEK, MONTH, YEAR");
                }
                case "interval_count" -> {
                    count = true;
                    reader.integerAtLeast(field, 1);
                }
                default -> reader.skip();
            }
        }
        if (!name) {
            reader.violation("name", "required, missing");
        }
        if (!interval) {
            reader.violation("interval", "required, missing");
        }
        if (!count) {
            reader.violation("interval_count", "required, missing");
        }
        reader.inObject(null);
    }
}
