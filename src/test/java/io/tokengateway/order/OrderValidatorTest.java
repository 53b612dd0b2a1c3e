package io.tokengateway.order;

import static io.tokengateway.order.Orders.bytes;
import static io.tokengateway.order.Orders.line;
import static io.tokengateway.order.Orders.simple;
import static io.tokengateway.order.Orders.vatOrder;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.tokengateway.error.GatewayError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

class OrderValidatorTest {

    final OrderValidator validator = new OrderValidator();

    Order valid(JsonObject order) {
        return validator.validateOrder(bytes(order));
    }

    List<String> violations(JsonObject order) {
        return violations(bytes(order));
    }

    List<String> violations(byte[] body) {
        InvalidBodyException e = assertThrows(InvalidBodyException.class, () -> validator.validateOrder(body));
        assertEquals(
                GatewayError.BAD_VALUE, e.error(), () -> "expected BAD_VALUE, got " + e.error() + " " + e.messages());
        return e.messages();
    }

    String malformed(byte[] body) {
        InvalidBodyException e = assertThrows(InvalidBodyException.class, () -> validator.validateOrder(body));
        assertEquals(GatewayError.BAD_REQUEST, e.error(), () -> "expected BAD_REQUEST, got " + e.messages());
        return e.messages().get(0);
    }

    @Nested
    class ProvidersWorkedExamples {

        @Test
        void euVatWithADiscountLine() {
            // 5 T-shirts at 100.00 incl. 25 % VAT, 10.00 off as a discount line carrying its share of VAT.
            JsonObject order = vatOrder(line("physical", 5, 10_000, 0, 2500), line("discount", 1, -1_000, 0, 2500));
            assertEquals(49_000, order.getLong("order_amount"));
            assertEquals(9_800, order.getLong("order_tax_amount"));
            Order accepted = valid(order);
            assertEquals(new Order(49_000, "EUR", 2), accepted);
        }

        @Test
        void euVatWithALineDiscount() {
            // quantity 2 × 35.00 with 5.00 line discount, 25 % VAT: total 65.00, tax 13.00.
            JsonObject line = line("physical", 2, 3_500, 500, 2500);
            assertEquals(6_500, line.getLong("total_amount"));
            assertEquals(1_300, line.getLong("total_tax_amount"));
            valid(vatOrder(line));
        }

        @Test
        void usSalesTaxAsItsOwnLine() {
            JsonObject order = new JsonObject()
                    .put("purchase_currency", "USD")
                    .put("order_amount", 10_850)
                    .put("order_tax_amount", 850)
                    .put(
                            "order_lines",
                            new JsonArray()
                                    .add(new JsonObject()
                                            .put("name", "Shoe")
                                            .put("quantity", 1)
                                            .put("unit_price", 10_000)
                                            .put("total_amount", 10_000)
                                            .put("type", "physical"))
                                    .add(new JsonObject()
                                            .put("name", "Sales tax")
                                            .put("quantity", 1)
                                            .put("unit_price", 850)
                                            .put("total_amount", 850)
                                            .put("type", "sales_tax")));
            assertEquals(new Order(10_850, "USD", 2), valid(order));
        }

        @Test
        void giftCardAndStoreCreditLinesMayBeNegative() {
            valid(vatOrder(
                    line("physical", 1, 10_000, 0, 2500),
                    line("gift_card", 1, -2_000, 0, 0),
                    line("store_credit", 1, -500, 0, 0)));
        }

        @Test
        void shippingFeeAndSurchargeAndDigitalLines() {
            valid(vatOrder(
                    line("digital", 3, 999, 0, 1900),
                    line("shipping_fee", 1, 490, 0, 1900),
                    line("surcharge", 1, 100, 0, 1900)));
        }

        @Test
        void aLineWithoutTaxRateNeedsNoTaxCheck() {
            JsonObject order = simple();
            order.getJsonArray("order_lines").getJsonObject(0).remove("tax_rate");
            valid(order);
        }
    }

    @Nested
    class Arithmetic {

        @Test
        void lineTotalMustBeQuantityTimesUnitPriceMinusDiscount() {
            JsonObject order = simple();
            order.getJsonArray("order_lines").getJsonObject(0).put("total_amount", 9_000);
            order.put("order_amount", 9_000);
            assertTrue(
                    violations(order)
                            .contains(
                                    "order_lines[0].total_amount: expected 10000 (quantity 2 × unit_price 5000 − total_discount_amount 0), got 9000"));
        }

        @ParameterizedTest
        @CsvSource({"2000,true", "2001,true", "1999,true", "2002,false", "1998,false"})
        void lineTaxIsWithinPlusMinusOneOfTheProvidersFormula(long tax, boolean accepted) {
            JsonObject line = line("physical", 1, 10_000, 0, 2500).put("total_tax_amount", tax);
            JsonObject order = vatOrder(line);
            if (accepted) {
                valid(order);
            } else {
                assertEquals(
                        List.of(
                                "order_lines[0].total_tax_amount: expected 2000 ± 1 (total_amount 10000 − total_amount × 10000 "
                                        + "/ (10000 + tax_rate 2500)), got " + tax),
                        violations(order));
            }
        }

        @Test
        void theTaxToleranceHoldsAtAnAwkwardRate() {
            // 19 %: 999 − 999·10000/11900 = 159.5…, so both 159 and 160 are within ±1; 158 and 161 are not.
            for (long tax : new long[] {159, 160}) {
                valid(vatOrder(line("physical", 1, 999, 0, 1900).put("total_tax_amount", tax)));
            }
            for (long tax : new long[] {158, 161}) {
                violations(vatOrder(line("physical", 1, 999, 0, 1900).put("total_tax_amount", tax)));
            }
        }

        @Test
        void orderAmountMustBeTheSumOfLineTotalsNegativeLinesIncluded() {
            JsonObject order = vatOrder(line("physical", 1, 10_000, 0, 0), line("discount", 1, -1_000, 0, 0));
            order.put("order_amount", 10_000);
            assertEquals(
                    List.of("order_amount: expected 9000 (the sum of order_lines[].total_amount), got 10000"),
                    violations(order));
        }

        @Test
        void orderTaxMustBeTheSumOfLineTaxes() {
            JsonObject order = simple().put("order_tax_amount", 1_999);
            assertEquals(
                    List.of("order_tax_amount: expected 2000 (the sum of order_lines[].total_tax_amount), got 1999"),
                    violations(order));
        }

        @Test
        void inUsModeOrderTaxIsTheSumOfSalesTaxLinesAndNoLineCarriesATaxRate() {
            JsonObject order = new JsonObject()
                    .put("purchase_currency", "USD")
                    .put("order_amount", 10_850)
                    .put("order_tax_amount", 800)
                    .put(
                            "order_lines",
                            new JsonArray()
                                    .add(new JsonObject()
                                            .put("name", "Shoe")
                                            .put("quantity", 1)
                                            .put("unit_price", 10_000)
                                            .put("total_amount", 10_000)
                                            .put("tax_rate", 0))
                                    .add(new JsonObject()
                                            .put("name", "Sales tax")
                                            .put("quantity", 1)
                                            .put("unit_price", 850)
                                            .put("total_amount", 850)
                                            .put("type", "sales_tax")));
            assertEquals(
                    List.of(
                            "order_lines[0].tax_rate: expected no tax_rate in an order with sales_tax lines (US sales tax), got 0",
                            "order_tax_amount: expected 850 (the sum of total_amount over the sales_tax lines (US sales tax)), got 800"),
                    violations(order));
        }

        @ParameterizedTest
        @ValueSource(strings = {"physical", "shipping_fee", "sales_tax", "digital", "surcharge"})
        void negativeAmountsOnlyOnDiscountGiftCardAndStoreCredit(String type) {
            JsonObject order = vatOrder(line("physical", 1, 10_000, 0, 0), line(type, 1, -100, 0, 0));
            if (type.equals("sales_tax")) {
                order.put("order_tax_amount", -100);
                order.getJsonArray("order_lines").forEach(l -> ((JsonObject) l).remove("tax_rate"));
            }
            List<String> found = violations(order);
            assertTrue(
                    found.contains("order_lines[1].unit_price: expected a non-negative amount on a " + type
                            + " line (only discount, gift_card and store_credit lines may be negative), got -100"),
                    found::toString);
            assertTrue(
                    found.contains("order_lines[1].total_amount: expected a non-negative amount on a " + type
                            + " line (only discount, gift_card and store_credit lines may be negative), got -100"),
                    found::toString);
        }

        @Test
        void quantityTimesUnitPriceOverflowIsAViolationNotAWrapAround() {
            JsonObject order = simple();
            order.getJsonArray("order_lines")
                    .getJsonObject(0)
                    .put("quantity", Long.MAX_VALUE)
                    .put("unit_price", 2);
            assertTrue(
                    violations(order)
                            .contains(
                                    "order_lines[0].total_amount: quantity × unit_price − total_discount_amount overflows int64"));
        }

        @Test
        void theTaxCheckOverflowIsAViolation() {
            JsonObject order = simple();
            order.getJsonArray("order_lines").getJsonObject(0).put("tax_rate", Long.MAX_VALUE);
            assertTrue(violations(order)
                    .contains("order_lines[0].total_tax_amount: the tax check overflows int64 for tax_rate "
                            + Long.MAX_VALUE));
        }

        @Test
        void theOrderSumOverflowIsAViolation() {
            JsonArray lines = new JsonArray();
            for (int i = 0; i < 3; i++) {
                lines.add(new JsonObject()
                        .put("name", "x")
                        .put("quantity", 1)
                        .put("unit_price", 0)
                        .put("total_amount", 0)
                        .put("total_tax_amount", Long.MAX_VALUE / 2));
            }
            JsonObject order = new JsonObject()
                    .put("purchase_currency", "EUR")
                    .put("order_amount", 1)
                    .put("order_tax_amount", 0)
                    .put("order_lines", lines);
            assertTrue(violations(order).contains("order_tax_amount: the sum of the order's tax overflows int64"));
        }

        @Test
        void everyViolationIsReportedAtOnce() {
            JsonObject order = vatOrder(line("physical", 1, 10_000, 0, 2500), line("physical", 1, 500, 0, 2500));
            JsonArray lines = order.getJsonArray("order_lines");
            lines.getJsonObject(0).put("total_tax_amount", 1);
            lines.getJsonObject(1).put("name", "").put("type", "bogus");
            order.put("purchase_currency", "XYZ");
            List<String> found = violations(order);
            assertEquals(5, found.size(), found::toString);
            assertTrue(found.contains("purchase_currency: expected an ISO 4217 currency code, got 'XYZ'"));
            assertTrue(found.contains("order_lines[1].name: expected 1-255 characters, got 0"));
            assertTrue(
                    found.contains("order_lines[1].type: expected one of physical, discount, shipping_fee, sales_tax, "
                            + "digital, gift_card, store_credit, surcharge, got 'bogus'"));
        }
    }

    @Nested
    class NumberDiscipline {

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "2500.0|expected an integer in minor units, got 2500.0 (fractions and exponents are not allowed)",
                    "2.5e3|expected an integer in minor units, got 2.5e3 (fractions and exponents are not allowed)",
                    "25E2|expected an integer in minor units, got 25E2 (fractions and exponents are not allowed)",
                    "\"2500\"|expected an integer in minor units, got a string",
                    "true|expected an integer in minor units, got a boolean",
                    "null|expected an integer in minor units, got null",
                    "{}|expected an integer in minor units, got an object",
                    "[2500]|expected an integer in minor units, got an array",
                    "9223372036854775808|expected an integer within int64, got 19-digit integer",
                    "-9223372036854775809|expected an integer within int64, got 19-digit integer",
                    "0|expected at least 1, got 0"
                })
        void orderAmountMustBeAnInt64Integer(String raw, String message) {
            String json = "{\"purchase_currency\":\"EUR\",\"order_amount\":" + raw + ",\"order_tax_amount\":0,"
                    + "\"order_lines\":[{\"name\":\"x\",\"quantity\":1,\"unit_price\":2500,\"total_amount\":2500}]}";
            assertEquals(List.of("order_amount: " + message), violations(bytes(json)));
        }

        @Test
        void int64EdgesAreIntegersAndChecked() {
            String json = "{\"purchase_currency\":\"EUR\",\"order_amount\":9223372036854775807,\"order_tax_amount\":0,"
                    + "\"order_lines\":[{\"name\":\"x\",\"quantity\":1,\"unit_price\":2500,\"total_amount\":2500}]}";
            assertEquals(
                    List.of(
                            "order_amount: expected 2500 (the sum of order_lines[].total_amount), got 9223372036854775807"),
                    violations(bytes(json)));
        }

        @Test
        void lineNumbersFollowTheSameDiscipline() {
            String json = "{\"purchase_currency\":\"EUR\",\"order_amount\":2500,\"order_tax_amount\":0,"
                    + "\"order_lines\":[{\"name\":\"x\",\"quantity\":1.5,\"unit_price\":\"2500\",\"total_amount\":2500,"
                    + "\"total_tax_amount\":null,\"tax_rate\":25.00,\"total_discount_amount\":false}]}";
            assertEquals(
                    List.of(
                            "order_lines[0].quantity: expected an integer in minor units, got 1.5 (fractions and exponents are not allowed)",
                            "order_lines[0].unit_price: expected an integer in minor units, got a string",
                            "order_lines[0].total_tax_amount: expected an integer in minor units, got null",
                            "order_lines[0].tax_rate: expected an integer in minor units, got 25.00 (fractions and exponents are not allowed)",
                            "order_lines[0].total_discount_amount: expected an integer in minor units, got a boolean"),
                    violations(bytes(json)));
        }
    }

    @Nested
    class Schema {

        @Test
        void requiredOrderFields() {
            assertEquals(
                    List.of(
                            "order_amount: required, missing",
                            "order_tax_amount: required, missing",
                            "purchase_currency: required, missing",
                            "order_lines: required, missing"),
                    violations(bytes("{}")));
        }

        @Test
        void requiredLineFields() {
            JsonObject order = simple();
            order.getJsonArray("order_lines").set(0, new JsonObject().put("type", "physical"));
            List<String> found = violations(order);
            assertTrue(
                    found.containsAll(List.of(
                            "order_lines[0].name: required, missing",
                            "order_lines[0].quantity: required, missing",
                            "order_lines[0].unit_price: required, missing",
                            "order_lines[0].total_amount: required, missing")),
                    found::toString);
        }

        @Test
        void aThousandLinesPassAndAThousandAndOneDoNot() {
            JsonObject[] lines = new JsonObject[1000];
            for (int i = 0; i < lines.length; i++) {
                lines[i] = line("physical", 1, 100, 0, 2500);
            }
            assertEquals(1000, valid(vatOrder(lines)).lineCount());
            JsonObject tooMany = vatOrder(lines);
            tooMany.getJsonArray("order_lines").add(line("physical", 1, 100, 0, 2500));
            tooMany.put("order_amount", 100_100).put("order_tax_amount", tooMany.getLong("order_tax_amount") + 20);
            assertEquals(List.of("order_lines: expected 1-1000 order lines, got 1001"), violations(tooMany));
        }

        @Test
        void anOrderNeedsAtLeastOneLine() {
            JsonObject order = simple().put("order_lines", new JsonArray())
                    .put("order_amount", 1)
                    .put("order_tax_amount", 0);
            assertEquals(List.of("order_lines: expected 1-1000 order lines, got 0"), violations(order));
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "name|256|order_lines[0].name: expected 1-255 characters, got 256",
                    "reference|257|order_lines[0].reference: expected 0-256 characters, got 257",
                    "quantity_unit|9|order_lines[0].quantity_unit: expected 1-8 characters, got 9",
                    "quantity_unit|0|order_lines[0].quantity_unit: expected 1-8 characters, got 0",
                    "merchant_data|256|order_lines[0].merchant_data: expected 0-255 characters, got 256",
                    "image_url|1025|order_lines[0].image_url: expected 0-1024 characters, got 1025",
                    "product_url|1025|order_lines[0].product_url: expected 0-1024 characters, got 1025"
                })
        void lineStringLengths(String field, int length, String message) {
            JsonObject order = simple();
            order.getJsonArray("order_lines").getJsonObject(0).put(field, "x".repeat(length));
            assertEquals(List.of(message), violations(order));
            order.getJsonArray("order_lines").getJsonObject(0).put(field, field.equals("quantity_unit") ? "pcs" : "ok");
            valid(order);
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "merchant_data|6001|merchant_data: expected 0-6000 characters, got 6001",
                    "merchant_reference1|256|merchant_reference1: expected 0-255 characters, got 256",
                    "merchant_reference2|256|merchant_reference2: expected 0-255 characters, got 256"
                })
        void orderStringLengths(String field, int length, String message) {
            assertEquals(List.of(message), violations(simple().put(field, "x".repeat(length))));
            valid(simple().put(field, "x".repeat(length - 1)));
        }

        @Test
        void lengthsCountCharactersNotBytes() {
            valid(simple().put("merchant_reference1", "é".repeat(255)));
        }

        @Test
        void lineBounds() {
            JsonObject order = simple();
            JsonObject line = order.getJsonArray("order_lines").getJsonObject(0);
            line.put("quantity", -1).put("total_discount_amount", -1).put("tax_rate", -1);
            assertEquals(
                    List.of(
                            "order_lines[0].quantity: expected at least 0, got -1",
                            "order_lines[0].tax_rate: expected at least 0, got -1",
                            "order_lines[0].total_discount_amount: expected at least 0, got -1"),
                    violations(order));
        }

        @Test
        void pricesAreBoundedInAbsoluteValue() {
            JsonObject order =
                    vatOrder(line("physical", 1, 100_000_000, 0, 0), line("discount", 1, -100_000_000, 0, 0));
            valid(order.put("order_amount", 1)
                    .put("order_lines", order.getJsonArray("order_lines").add(line("physical", 1, 1, 0, 0))));
            JsonObject tooBig = simple();
            tooBig.getJsonArray("order_lines").getJsonObject(0).put("unit_price", 100_000_001);
            assertTrue(
                    violations(tooBig)
                            .contains(
                                    "order_lines[0].unit_price: expected an absolute value of at most 100000000, got 100000001"));
            JsonObject tooSmall =
                    vatOrder(line("physical", 1, 100_000_000, 0, 0), line("discount", 1, -100_000_001, 0, 0));
            assertTrue(
                    violations(tooSmall)
                            .contains(
                                    "order_lines[1].total_amount: expected an absolute value of at most 100000000, got -100000001"));
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "EU|purchase_currency: expected 3-3 characters, got 2",
                    "EURO|purchase_currency: expected 3-3 characters, got 4",
                    "XYZ|purchase_currency: expected an ISO 4217 currency code, got 'XYZ'",
                    "E1R|purchase_currency: expected an ISO 4217 currency code, got another value"
                })
        void currencyIsARealIso4217Code(String currency, String message) {
            assertEquals(List.of(message), violations(simple().put("purchase_currency", currency)));
        }

        @ParameterizedTest
        @ValueSource(strings = {"EUR", "eur", "Sek", "USD", "GBP", "JPY", "CHF"})
        void realCurrenciesAnyCase(String currency) {
            assertEquals(
                    currency.toUpperCase(),
                    valid(simple().put("purchase_currency", currency)).currency());
        }

        @Test
        void subscriptionRules() {
            JsonObject order = simple();
            JsonObject line = order.getJsonArray("order_lines").getJsonObject(0);
            line.put(
                    "subscription",
                    new JsonObject()
                            .put("name", "Monthly box")
                            .put("interval", "MONTH")
                            .put("interval_count", 1));
            valid(order);
            line.put("subscription", new JsonObject().put("interval", "HOUR").put("interval_count", 0));
            assertEquals(
                    List.of(
                            "order_lines[0].subscription.interval: expected one of DAY, WEEK, MONTH, YEAR, got 'HOUR'",
                            "order_lines[0].subscription.interval_count: expected at least 1, got 0",
                            "order_lines[0].subscription.name: required, missing"),
                    violations(order));
            line.put("subscription", new JsonObject().put("name", "x"));
            assertEquals(
                    List.of(
                            "order_lines[0].subscription.interval: required, missing",
                            "order_lines[0].subscription.interval_count: required, missing"),
                    violations(order));
            line.put("subscription", "monthly");
            assertEquals(List.of("order_lines[0].subscription: expected an object, got a string"), violations(order));
        }

        @Test
        void nestedObjectsFollowTheProvidersLengths() {
            JsonObject order = simple();
            order.getJsonArray("order_lines")
                    .getJsonObject(0)
                    .put(
                            "product_identifiers",
                            new JsonObject().put("brand", "x".repeat(71)).put("color", "red"));
            order.put("merchant_urls", new JsonObject().put("push", "https://example.com/push"));
            order.put(
                    "shipping_address",
                    new JsonObject()
                            .put("country", "GBR")
                            .put("phone", "123")
                            .put("postal_code", "12345678901")
                            .put("email", "a@b.c"));
            order.put("attachment", new JsonObject().put("body", "{}"));
            order.put("auto_capture", "yes");
            assertEquals(
                    List.of(
                            "order_lines[0].product_identifiers.brand: expected 0-70 characters, got 71",
                            "merchant_urls.confirmation: required, missing",
                            "shipping_address.country: expected 2-2 characters, got 3",
                            "shipping_address.phone: expected 5-99 characters, got 3",
                            "shipping_address.postal_code: expected 0-10 characters, got 11",
                            "attachment.content_type: required, missing",
                            "auto_capture: expected a boolean, got a string"),
                    violations(order));
        }

        @Test
        void aCountryMustBeTwoLetters() {
            assertEquals(
                    List.of("shipping_address.country: expected a value matching ^[A-Za-z]{2}$"),
                    violations(simple().put("shipping_address", new JsonObject().put("country", "G1"))));
        }

        @Test
        void unknownFieldsPassUntouched() {
            JsonObject order = simple().put(
                            "new_provider_field",
                            new JsonObject()
                                    .put("deep", new JsonArray().add(1.5).add("x")));
            order.getJsonArray("order_lines").getJsonObject(0).put("line_extension", 42.42);
            valid(order);
        }

        @Test
        void stringValuesAreNeverQuotedBack() {
            JsonObject order = simple().put("purchase_currency", "4111 1111 1111 1111");
            order.getJsonArray("order_lines").getJsonObject(0).put("type", "4111111111111111");
            List<String> found = violations(order);
            assertTrue(found.stream().noneMatch(m -> m.contains("4111")), found::toString);
        }
    }

    @Nested
    class Malformed {

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "",
                    " ",
                    "[]",
                    "\"order\"",
                    "42",
                    "null",
                    "{\"order_amount\":",
                    "{\"a\":1}{\"b\":2}",
                    "{'order_amount':1}",
                    "{\"order_amount\":01}",
                    "{\"order_amount\":NaN}",
                    "{\"a\":1,}"
                })
        void notASingleJsonObjectIsBadRequest(String body) {
            malformed(bytes(body));
        }

        @Test
        void duplicateKeysAreRejected() {
            assertEquals(
                    "The request body has a duplicated field at line 1, column 19.", // where the second one starts
                    malformed(bytes("{\"order_amount\":1,\"order_amount\":2}")));
        }

        @Test
        void invalidUtf8IsRejectedEvenInUnknownFields() {
            byte[] body = bytes("{\"unknown\":\"ab\"}");
            byte[] broken = new byte[body.length + 1];
            System.arraycopy(body, 0, broken, 0, 13);
            broken[13] = (byte) 0xC3; // a lead byte followed by an ASCII byte: invalid UTF-8
            System.arraycopy(body, 13, broken, 14, body.length - 13);
            malformed(broken);
        }

        @Test
        void nestingIsBounded() {
            String deep = "{\"x\":" + "[".repeat(40) + "]".repeat(40) + "}";
            assertTrue(malformed(bytes(deep)).startsWith("The request body is nested deeper than 32 levels"));
        }

        @Test
        void theParsersMessageNeverQuotesTheInput() {
            String message = malformed(bytes("{\"card\": 4111111111111111x}"));
            assertTrue(!message.contains("4111"), message);
        }
    }

    @Nested
    class StatusUpdate {

        @Test
        void exactlyCancelled() {
            // The validator's signal for a refused body is InvalidBodyException; this body is the one it accepts.
            assertDoesNotThrow(() -> validator.validateStatusUpdate(bytes("{\"status\":\"CANCELLED\"}")));
            assertDoesNotThrow(() -> validator.validateStatusUpdate(bytes(" {\n \"status\" : \"CANCELLED\" } ")));
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "{\"status\":\"ACTIVE\"}|status: expected CANCELLED, the only status a token can be set to",
                    "{}|status: required, missing",
                    "{\"status\":1}|status: expected a string, got an integer",
                    "{\"status\":\"CANCELLED\",\"reason\":\"x\"}|reason: not allowed: the body must be exactly {\"status\":\"CANCELLED\"}"
                })
        void anythingElseIsBadValue(String body, String message) {
            InvalidBodyException e =
                    assertThrows(InvalidBodyException.class, () -> validator.validateStatusUpdate(bytes(body)));
            assertEquals(GatewayError.BAD_VALUE, e.error());
            assertEquals(List.of(message), e.messages());
        }

        @Test
        void notAnObjectIsBadRequest() {
            InvalidBodyException e = assertThrows(
                    InvalidBodyException.class, () -> validator.validateStatusUpdate(bytes("[\"CANCELLED\"]")));
            assertEquals(GatewayError.BAD_REQUEST, e.error());
        }
    }
}
