package io.tokengateway.order;

import java.io.IOException;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads one JSON value at a time from a streaming parser and checks its type and bounds, recording a
 * violation with the value's JSON path instead of throwing. Paths are built only when a violation is
 * recorded, so a valid order allocates none.
 *
 * <p>Number discipline: amounts are JSON integers in minor units. A fraction or exponent
 * ({@code 25.0}, {@code 2.5e3}), a string, a boolean, null, or an integer outside int64 is a violation
 * that says what was found. String values are never quoted back (they may hold personal data or a
 * card number); only their length is.
 */
final class FieldReader {

    private static final Pattern ENUM_LIKE = Pattern.compile("[A-Za-z_]{1,32}");

    private final JsonParser parser;
    private final Violations violations;
    private int line = -1;
    private String object;
    private long value;
    private String text;

    FieldReader(JsonParser parser, Violations violations) {
        this.parser = parser;
        this.violations = violations;
    }

    /** Fields read from now on belong to {@code order_lines[index]}; -1 for the order itself. */
    void atLine(int index) {
        this.line = index;
    }

    /** Fields read from now on belong to the nested object {@code name}; null to leave it. */
    void inObject(String name) {
        this.object = name;
    }

    String path(String field) {
        StringBuilder path = new StringBuilder();
        if (line >= 0) {
            path.append("order_lines[").append(line).append("].");
        }
        if (object != null) {
            path.append(object).append('.');
        }
        return path.append(field).toString();
    }

    void violation(String field, String message) {
        violations.add(path(field), message);
    }

    /** The integer read by the last successful {@link #integer}. */
    long value() {
        return value;
    }

    /** The string read by the last successful {@link #stringValue} or {@link #enumeration}. */
    String text() {
        return text;
    }

    /** Reads the current value as an int64 JSON integer; true when it is one. */
    boolean integer(String field) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT) {
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                violation(
                        field, "expected an integer within int64, got " + digits(parser.getText()) + "-digit integer");
                return false;
            }
            value = parser.getLongValue();
            return true;
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            violation(
                    field,
                    "expected an integer in minor units, got " + parser.getText()
                            + " (fractions and exponents are not allowed)");
            return false;
        }
        violation(field, "expected an integer in minor units, got " + describe(token));
        skip();
        return false;
    }

    /** Reads an integer that must be at least {@code min}. */
    boolean integerAtLeast(String field, long min) throws IOException {
        if (!integer(field)) {
            return false;
        }
        if (value < min) {
            violation(field, "expected at least " + min + ", got " + value);
            return false;
        }
        return true;
    }

    /** Reads a string of {@code min..max} characters. */
    boolean string(String field, int min, int max) throws IOException {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_STRING) {
            violation(field, "expected a string, got " + describe(token));
            skip();
            return false;
        }
        // UTF-16 length first, without building a String; characters are counted only when it is over the limit.
        int length = parser.getTextLength();
        if (length > max) {
            String value = parser.getText();
            length = value.codePointCount(0, value.length());
        }
        if (length < min || length > max) {
            violation(field, "expected " + min + "-" + max + " characters, got " + length);
            return false;
        }
        text = null;
        return true;
    }

    /** Like {@link #string}, and keeps the value for {@link #text()}. */
    boolean stringValue(String field, int min, int max) throws IOException {
        if (!string(field, min, max)) {
            return false;
        }
        text = parser.getText();
        return true;
    }

    /** Reads a string that must be one of {@code allowed}. */
    boolean enumeration(String field, Set<String> allowed, String listed) throws IOException {
        if (!stringValue(field, 1, 64)) {
            return false;
        }
        if (!allowed.contains(text)) {
            String shown = ENUM_LIKE.matcher(text).matches() ? "'" + text + "'" : "another value";
            violation(field, "expected one of " + listed + ", got " + shown);
            return false;
        }
        return true;
    }

    boolean bool(String field) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
            return true;
        }
        violation(field, "expected a boolean, got " + describe(token));
        skip();
        return false;
    }

    /** True when the current value is an object; otherwise records a violation and skips it. */
    boolean object(String field) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            return true;
        }
        violation(field, "expected an object, got " + describe(token));
        skip();
        return false;
    }

    /**
     * Skips the current value (and its children). Strings inside are still decoded, so that a body with
     * invalid UTF-8 in a field the gateway does not know is rejected rather than forwarded.
     */
    void skip() throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            parser.getTextLength();
            return;
        }
        if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
            return;
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken next = parser.nextToken();
            if (next == JsonToken.START_OBJECT || next == JsonToken.START_ARRAY) {
                depth++;
            } else if (next == JsonToken.END_OBJECT || next == JsonToken.END_ARRAY) {
                depth--;
            } else if (next == JsonToken.VALUE_STRING) {
                parser.getTextLength();
            }
        }
    }

    static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a fractional number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> token.name();
        };
    }

    private static int digits(String number) {
        return number.startsWith("-") ? number.length() - 1 : number.length();
    }
}
