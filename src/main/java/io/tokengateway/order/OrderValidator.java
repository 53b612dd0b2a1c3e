package io.tokengateway.order;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import io.tokengateway.error.GatewayError;

/**
 * Validates request bodies exactly as the provider would, before anything leaves the gateway
 * (as the provider's OpenAPI description and its documentation state them).
 *
 * <p>One streaming pass over the raw bytes: no tree, no re-serialisation, so a 1000-line order costs
 * little and the bytes forwarded are the bytes checked. Every violation is collected and reported at
 * once in one {@code 400 BAD_VALUE}; a body that is not JSON at all (malformed, truncated, invalid
 * UTF-8, duplicate keys, nested deeper than {@value #MAX_DEPTH}, not an object) is {@code 400 BAD_REQUEST}.
 * Fields the gateway does not know pass untouched: the provider may add fields.
 */
@Singleton
public class OrderValidator {

    static final int MAX_DEPTH = 32;
    static final int MAX_LINES = 1000;

    // Duplicated keys are rejected by FieldReader.nextField (FieldNames), cheaper than Jackson's
    // STRICT_DUPLICATE_DETECTION.
    private final JsonFactory json = JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    /** Validates a {@code create-order} body; the order's facts, or a {@link InvalidBodyException}. */
    public Order validateOrder(byte[] body) {
        try (JsonParser parser = open(body)) {
            Violations violations = new Violations();
            FieldReader reader = new FieldReader(parser, violations);
            reader.openObject();
            Order order = readOrder(parser, reader, violations);
            expectEnd(parser);
            if (!violations.isEmpty()) {
                throw new InvalidBodyException(GatewayError.BAD_VALUE, violations.messages());
            }
            return order;
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new InvalidBodyException(GatewayError.BAD_REQUEST, "The request body could not be read.");
        }
    }

    /** Validates a {@code cancel-token} body: exactly {@code {"status":"CANCELLED"}}. */
    public void validateStatusUpdate(byte[] body) {
        try (JsonParser parser = open(body)) {
            Violations violations = new Violations();
            FieldReader reader = new FieldReader(parser, violations);
            reader.openObject();
            boolean hasStatus = false;
            for (String field = reader.nextField(); field != null; field = reader.nextField()) {
                if ("status".equals(field)) {
                    hasStatus = true;
                    if (reader.stringValue(field, 1, 64) && !"CANCELLED".equals(reader.text())) {
                        reader.violation(field, "expected CANCELLED, the only status a token can be set to");
                    }
                } else {
                    reader.skip();
                    reader.violation(field, "not allowed: the body must be exactly {\"status\":\"CANCELLED\"}");
                }
            }
            if (!hasStatus) {
                reader.violation("status", "required, missing");
            }
            expectEnd(parser);
            if (!violations.isEmpty()) {
                throw new InvalidBodyException(GatewayError.BAD_VALUE, violations.messages());
            }
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new InvalidBodyException(GatewayError.BAD_REQUEST, "The request body could not be read.");
        }
    }

    private JsonParser open(byte[] body) throws IOException {
        if (body.length == 0) {
            throw new InvalidBodyException(GatewayError.BAD_REQUEST, "A JSON body is required.");
        }
        if (!Utf8.isValid(body)) {
            throw new InvalidBodyException(GatewayError.BAD_REQUEST, "The request body is not valid UTF-8.");
        }
        JsonParser parser = json.createParser(body);
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            parser.close();
            throw new InvalidBodyException(GatewayError.BAD_REQUEST, "The request body must be a JSON object.");
        }
        return parser;
    }

    private Order readOrder(JsonParser parser, FieldReader reader, Violations violations) throws IOException {
        boolean hasAmount = false;
        boolean hasTax = false;
        long amount = 0;
        long tax = 0;
        String currency = null;
        boolean sawAmount = false;
        boolean sawTax = false;
        boolean sawCurrency = false;
        boolean sawLines = false;
        boolean linesCountable = false;
        List<LineFacts> lines = new ArrayList<>();
        for (String field = reader.nextField(); field != null; field = reader.nextField()) {
            switch (field) {
                case "order_amount" -> {
                    sawAmount = true;
                    hasAmount = reader.integerAtLeast(field, 1);
                    amount = reader.value();
                }
                case "order_tax_amount" -> {
                    sawTax = true;
                    hasTax = reader.integerAtLeast(field, 0);
                    tax = reader.value();
                }
                case "purchase_currency" -> {
                    sawCurrency = true;
                    currency = currency(reader);
                }
                case "order_lines" -> {
                    sawLines = true;
                    linesCountable = readLines(parser, reader, lines);
                }
                case "merchant_data" -> reader.string(field, 0, 6000);
                case "merchant_reference1", "merchant_reference2" -> reader.string(field, 0, 255);
                case "auto_capture" -> reader.bool(field);
                case "merchant_urls" -> TextObjectSchema.MERCHANT_URLS.read(reader, parser);
                case "shipping_address" -> TextObjectSchema.ADDRESS.read(reader, parser);
                case "attachment" -> TextObjectSchema.ATTACHMENT.read(reader, parser);
                default -> reader.skip();
            }
        }
        missing(sawAmount, "order_amount", violations);
        missing(sawTax, "order_tax_amount", violations);
        missing(sawCurrency, "purchase_currency", violations);
        missing(sawLines, "order_lines", violations);
        // With too few or too many lines the sums would only repeat that violation in other words.
        OrderArithmetic.check(
                lines,
                new OrderArithmetic.OrderTotals(hasAmount && linesCountable, amount, hasTax && linesCountable, tax),
                violations);
        return new Order(amount, currency, lines.size());
    }

    private static String currency(FieldReader reader) throws IOException {
        if (!reader.stringValue("purchase_currency", 3, 3)) {
            return null;
        }
        String code = reader.text();
        boolean letters = isLetters(code);
        if (!letters || !Iso4217.isCode(code)) {
            String shown = letters ? "'" + code + "'" : "another value";
            reader.violation("purchase_currency", "expected an ISO 4217 currency code, got " + shown);
            return null;
        }
        return code.toUpperCase(Locale.ROOT);
    }

    /** The provider's pattern {@code ^[A-Za-z]{3}$}, without a regular expression on the request path. */
    private static boolean isLetters(String code) {
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return code.length() == 3;
    }

    /** Reads order_lines into {@code lines}; true when their number is within 1..MAX_LINES. */
    private static boolean readLines(JsonParser parser, FieldReader reader, List<LineFacts> lines) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            reader.violation(
                    "order_lines",
                    "expected an array of 1-" + MAX_LINES + " order lines, got "
                            + FieldReader.describe(parser.currentToken()));
            reader.skip();
            return false;
        }
        OrderLineReader lineReader = new OrderLineReader(reader, parser);
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (index < MAX_LINES) {
                lines.add(lineReader.read(index));
            } else {
                reader.skip();
            }
            index++;
        }
        if (index == 0 || index > MAX_LINES) {
            reader.violation("order_lines", "expected 1-" + MAX_LINES + " order lines, got " + index);
            return false;
        }
        return true;
    }

    private static void missing(boolean present, String field, Violations violations) {
        if (!present) {
            violations.add(field, "required, missing");
        }
    }

    private static void expectEnd(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new InvalidBodyException(
                    GatewayError.BAD_REQUEST, "The request body must hold exactly one JSON object.");
        }
    }

    private static InvalidBodyException malformed(JsonProcessingException e) {
        // Location only: the parser's message quotes the offending input, which may be anything.
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String what = e instanceof StreamConstraintsException
                ? "is nested deeper than " + MAX_DEPTH + " levels"
                : e instanceof FieldReader.DuplicateField
                        ? "has a duplicated field"
                        : "is not valid JSON (or not UTF-8)";
        return new InvalidBodyException(GatewayError.BAD_REQUEST, "The request body " + what + where + ".");
    }
}
