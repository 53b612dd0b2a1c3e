package io.tokengateway.order;

import static io.tokengateway.order.Orders.simple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * Review of the FieldNames change: the validator's own duplicate check and its non-decoding skip must judge every
 * body as a strict reference parser does (Jackson with STRICT_DUPLICATE_DETECTION, every string decoded). Random
 * JSON with escaped, colliding and repeated names, wide objects and malformed escapes is spliced into each place
 * the validator reads an object.
 */
class DuplicateFieldsDifferentialTest {

    private static final List<String> NAMES = List.of(
            "a",
            "\\u0061",
            "b",
            "Aa",
            "BB",
            "AaAa",
            "BBBB",
            "AaBB",
            "order_amount",
            "order_\\u0061mount",
            "\\u006frder_amount",
            "type",
            "name",
            "quantity",
            "\\uD83D\\uDE00",
            "\uD83D\uDE00",
            "\\ud83d\\ude00",
            "\u00e9",
            "\\u00e9",
            "e\\u0301",
            "\\uD800",
            "\\uDC00",
            "x\\/y",
            "x/y",
            "",
            "\\u0000",
            "\\\"",
            "\\\\",
            "tot\\u0061l_amount",
            "\\u0071uantity",
            "order_tax_amount",
            "order_t\\u0061x_amount",
            "total_amount",
            "order_lines");

    private static final List<String> STRINGS =
            List.of("ok", "\\u00e9", "\\uD800", "\\t", "\u00e9", "\\\"", "\\/", "\u007f", "\u2028");

    /** Rare, so that most bodies get as far as their repeated names. */
    private static final List<String> MALFORMED_STRINGS = List.of("\\x", "\\u12G4", "\\u12", "\u0001", "\t", "\\'");

    private final OrderValidator validator = new OrderValidator();

    private final JsonFactory strict = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(OrderValidator.MAX_DEPTH)
                    .build())
            .build();

    enum Verdict {
        DUPLICATE,
        MALFORMED,
        WELL_FORMED
    }

    @Test
    void theValidatorJudgesNamesAndSkippedStringsAsAStrictParserDoes() {
        Random random = new Random(20261206);
        String order = simple().encode();
        int lineStart = order.indexOf("[{") + 2;
        int[] seen = new int[Verdict.values().length];
        for (int i = 0; i < 20_000; i++) {
            String value = value(random, 0);
            String members = members(random);
            String body =
                    switch (i % 7) {
                        case 5 -> "{" + members + "," + order.substring(1);
                        case 6 -> order.substring(0, lineStart) + members + "," + order.substring(lineStart);
                        case 0 -> "{\"x\":" + value + "," + order.substring(1);
                        case 1 -> order.substring(0, lineStart) + "\"x\":" + value + "," + order.substring(lineStart);
                        case 2 ->
                            order.substring(0, lineStart) + "\"product_identifiers\":{\"brand\":\"b\",\"x\":" + value
                                    + "}," + order.substring(lineStart);
                        case 3 ->
                            "{\"merchant_urls\":{\"confirmation\":\"c\",\"x\":" + value + "}," + order.substring(1);
                        default -> "{\"status\":\"CANCELLED\",\"x\":" + value + "}";
                    };
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            Verdict expected = reference(bytes);
            Verdict actual = validator(bytes, i % 7 == 4);
            seen[expected.ordinal()]++;
            if (expected != actual) {
                fail("reference " + expected + ", validator " + actual + " for " + body);
            }
        }
        for (Verdict verdict : Verdict.values()) { // the inputs reach every verdict, often
            assertTrue(seen[verdict.ordinal()] > 1000, verdict + ": " + java.util.Arrays.toString(seen));
        }
    }

    /** Members for the order or line object itself: up to 40, so the wide path is taken there too. */
    private String members(Random random) {
        StringBuilder members = new StringBuilder();
        int n = 1 + random.nextInt(45);
        for (int k = 0; k < n; k++) {
            String name = name(random, k);
            members.append(k == 0 ? "" : ",")
                    .append('"')
                    .append(name)
                    .append("\":")
                    .append(value(random, 1));
        }
        return members.toString();
    }

    /**
     * The k-th name of an object: mostly unique ("f" and k), sometimes from {@link #NAMES}, and rarely a repeat of an
     * earlier one, plainly or with its "f" escaped, so that a repeat can come at any position of a wide object.
     */
    private static String name(Random random, int k) {
        int pick = random.nextInt(100);
        if (pick < 6) {
            return NAMES.get(random.nextInt(NAMES.size()));
        }
        if (pick < 8 && k > 0) {
            // around the switch to a set, where a name is easiest to lose
            int near = FieldNames.LINEAR_LIMIT - 1 + random.nextInt(3);
            int earlier = random.nextBoolean() || near >= k ? random.nextInt(k) : near;
            return (random.nextBoolean() ? "f" : "\\u0066") + earlier;
        }
        return "f" + k;
    }

    private String value(Random random, int depth) {
        int kind = depth > 6 ? random.nextInt(3) : random.nextInt(6);
        return switch (kind) {
            case 0 -> Integer.toString(random.nextInt(100));
            case 1 -> {
                List<String> strings = random.nextInt(40) == 0 ? MALFORMED_STRINGS : STRINGS;
                yield "\"" + strings.get(random.nextInt(strings.size())) + "\"";
            }
            case 2 -> "null";
            case 3 -> {
                StringBuilder array = new StringBuilder("[");
                int n = random.nextInt(4);
                for (int k = 0; k < n; k++) {
                    array.append(k == 0 ? "" : ",").append(value(random, depth + 1));
                }
                yield array.append(']').toString();
            }
            default -> {
                StringBuilder object = new StringBuilder("{");
                int n = random.nextInt(10) == 0 ? 20 + random.nextInt(20) : random.nextInt(5);
                for (int k = 0; k < n; k++) {
                    String name = name(random, k);
                    object.append(k == 0 ? "" : ",")
                            .append('"')
                            .append(name)
                            .append("\":")
                            .append(value(random, depth + 1));
                }
                yield object.append('}').toString();
            }
        };
    }

    private Verdict reference(byte[] body) {
        if (!Utf8.isValid(body)) {
            return Verdict.MALFORMED;
        }
        try (JsonParser parser = strict.createParser(body)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.VALUE_STRING) {
                    parser.getText(); // decode every string
                }
            }
            return Verdict.WELL_FORMED;
        } catch (Exception e) {
            return e.getMessage().startsWith("Duplicate field") ? Verdict.DUPLICATE : Verdict.MALFORMED;
        }
    }

    private Verdict validator(byte[] body, boolean status) {
        try {
            if (status) {
                validator.validateStatusUpdate(body);
            } else {
                validator.validateOrder(body);
            }
            return Verdict.WELL_FORMED;
        } catch (InvalidBodyException e) {
            String message = e.messages().get(0);
            if (message.contains("has a duplicated field")) {
                return Verdict.DUPLICATE;
            }
            if (message.contains("is not valid JSON")) {
                return Verdict.MALFORMED;
            }
            assertEquals(io.tokengateway.error.GatewayError.BAD_VALUE, e.error(), message);
            return Verdict.WELL_FORMED;
        }
    }
}
