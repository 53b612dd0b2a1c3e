package io.tokengateway.order;

import static io.tokengateway.order.Orders.bytes;
import static io.tokengateway.order.Orders.simple;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tokengateway.error.GatewayError;

/** A field named twice in one object, wherever it is, makes the body malformed; the same name elsewhere does not. */
class DuplicateFieldsTest {

    final OrderValidator validator = new OrderValidator();

    /** The valid order with {@code extra} spliced in as its first field. */
    static String orderWith(String extra) {
        String order = simple().encode();
        return "{" + extra + "," + order.substring(1);
    }

    /** The valid order with {@code extra} spliced into its first line as that line's first field. */
    static String lineWith(String extra) {
        String order = simple().encode();
        int line = order.indexOf("[{") + 2;
        return order.substring(0, line) + extra + "," + order.substring(line);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"order_amount\":1", // a known order field
                "\"unknown\":1,\"unknown\":2", // an unknown one
                "\"purchase_currency\":\"EUR\"",
                "\"x\":{\"a\":1,\"a\":1}", // inside an unknown object
                "\"x\":[1,{\"b\":[{\"c\":1,\"d\":2,\"c\":3}]}]", // deep inside unknown arrays
                "\"merchant_urls\":{\"confirmation\":\"https://a\",\"confirmation\":\"https://b\"}",
                "\"order_\\u0061mount\":1", // the same name, escaped
            })
    void aRepeatedOrderFieldIsMalformed(String extra) {
        assertDuplicate(orderWith(extra));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"quantity\":2", // a known line field
                "\"product_identifiers\":{\"brand\":\"A\",\"brand\":\"B\"}",
                "\"subscription\":{\"name\":\"s\",\"interval\":\"DAY\",\"interval_count\":1,\"interval\":\"WEEK\"}",
                "\"extra\":{\"k\":{\"k\":1,\"k\":2}}",
            })
    void aRepeatedLineFieldIsMalformed(String extra) {
        assertDuplicate(lineWith(extra));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"x\":{\"order_amount\":1,\"y\":{\"order_amount\":1}}", // the same name, one per object
                "\"x\":[{\"a\":1},{\"a\":1}]", // sibling objects
                "\"Aa\":1,\"BB\":2", // equal hashes, different names
            })
    void theSameNameInDifferentObjectsIsAllowed(String extra) {
        assertDoesNotThrow(() -> validator.validateOrder(bytes(orderWith(extra))));
    }

    @ParameterizedTest
    @ValueSource(ints = {FieldNames.LINEAR_LIMIT - 1, FieldNames.LINEAR_LIMIT, FieldNames.LINEAR_LIMIT + 1, 5000})
    void anObjectOfManyFieldsIsCheckedToTheLast(int fields) {
        StringBuilder wide = new StringBuilder("\"wide\":{");
        for (int i = 0; i < fields; i++) {
            wide.append("\"f").append(i).append("\":").append(i).append(',');
        }
        String unique = wide.substring(0, wide.length() - 1) + "}";
        assertDoesNotThrow(() -> validator.validateOrder(bytes(orderWith(unique))));
        assertDuplicate(orderWith(wide.append("\"f0\":0}").toString()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"status\":\"CANCELLED\",\"status\":\"CANCELLED\"}",
                "{\"status\":\"CANCELLED\",\"x\":{\"a\":1,\"a\":1}}"
            })
    void aStatusUpdateWithARepeatedFieldIsMalformed(String body) {
        InvalidBodyException e =
                assertThrows(InvalidBodyException.class, () -> validator.validateStatusUpdate(bytes(body)));
        assertEquals(GatewayError.BAD_REQUEST, e.error());
        assertTrue(
                e.messages().get(0).contains("has a duplicated field"),
                e.messages().toString());
    }

    private void assertDuplicate(String body) {
        InvalidBodyException e = assertThrows(InvalidBodyException.class, () -> validator.validateOrder(bytes(body)));
        assertEquals(GatewayError.BAD_REQUEST, e.error(), body);
        assertTrue(
                e.messages().get(0).startsWith("The request body has a duplicated field at line 1, column "),
                e.messages().toString());
    }
}
