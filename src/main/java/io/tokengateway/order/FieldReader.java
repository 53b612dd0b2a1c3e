package io.tokengateway.order;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParseException;
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
    private final FieldNames names = new FieldNames();
    private int line = -1;
    private String object;
    private long value;
    private String text;

    FieldReader(JsonParser parser, Violations violations) {
        this.parser = parser;
        this.violations = violations;
    }

    /** The parser is at the start of an object whose fields {@link #nextField()} will read. */
    void openObject() {
        names.open();
    }

    /**
     * Moves to the next field of the object being read and then to its value: the field's name, or null at the
     * object's end. A name the object already had makes the body malformed (see {@link FieldNames}).
     */
    String nextField() throws IOException {
        if (parser.nextToken() != JsonToken.FIELD_NAME) {
            names.close(); // the parser allows only a field name or the object's end here
            return null;
        }
        String name = parser.currentName();
        if (!names.add(name)) {
            throw new DuplicateField(parser);
        }
        parser.nextToken();
        return name;
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

    /**
     * Reads a string that must be one of {@code allowed}; {@link #text()} is then that constant. The value is
     * compared where the parser decoded it, so a valid one costs no {@code String}.
     */
    boolean enumeration(String field, List<String> allowed, String listed) throws IOException {
        if (!string(field, 1, 64)) {
            return false;
        }
        char[] chars = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        int length = parser.getTextLength();
        for (String candidate : allowed) {
            if (candidate.length() == length && sameChars(candidate, chars, offset)) {
                text = candidate;
                return true;
            }
        }
        text = parser.getText();
        String shown = ENUM_LIKE.matcher(text).matches() ? "'" + text + "'" : "another value";
        violation(field, "expected one of " + listed + ", got " + shown);
        return false;
    }

    private static boolean sameChars(String candidate, char[] chars, int offset) {
        for (int i = 0; i < candidate.length(); i++) {
            if (candidate.charAt(i) != chars[offset + i]) {
                return false;
            }
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

    /** True when the current value is an object, opened for {@link #nextField()}; otherwise records a violation and skips it. */
    boolean object(String field) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            openObject();
            return true;
        }
        violation(field, "expected an object, got " + describe(token));
        skip();
        return false;
    }

    /**
     * Skips the current value and its children, checking the names of the objects inside for duplicates. Strings
     * are not decoded: the body's bytes were checked as UTF-8 before parsing, and the parser still checks the
     * escapes and control characters of what it skips.
     */
    void skip() throws IOException {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
            return;
        }
        if (token == JsonToken.START_OBJECT) {
            names.open();
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken next = parser.nextToken();
            if (next == JsonToken.FIELD_NAME) {
                if (!names.add(parser.currentName())) {
                    throw new DuplicateField(parser);
                }
            } else if (next == JsonToken.START_OBJECT) {
                names.open();
                depth++;
            } else if (next == JsonToken.START_ARRAY) {
                depth++;
            } else if (next == JsonToken.END_OBJECT) {
                names.close();
                depth--;
            } else if (next == JsonToken.END_ARRAY) {
                depth--;
            }
        }
    }

    /** A field name seen twice in one object, located where the second one starts; never quoted (it may be anything). */
    static final class DuplicateField extends JsonParseException {

        private static final long serialVersionUID = 1L;

        DuplicateField(JsonParser parser) {
            super(parser, "Duplicate field", parser.currentTokenLocation());
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
