package io.tokengateway.order;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;

/**
 * The schema of a nested object whose known fields are all strings (address, product identifiers,
 * merchant URLs, attachment): lengths as in the provider's OpenAPI, required fields, optional
 * patterns. Unknown fields pass untouched.
 */
record TextObjectSchema(String name, Map<String, Rule> fields, Set<String> required) {

    /** Length bounds in characters, and an optional pattern (null for none). */
    record Rule(int min, int max, Pattern pattern, String patternText) {

        static Rule length(int min, int max) {
            return new Rule(min, max, null, null);
        }

        static Rule pattern(int min, int max, String regex) {
            return new Rule(min, max, Pattern.compile(regex), regex);
        }
    }

    static final TextObjectSchema ADDRESS = new TextObjectSchema(
            "shipping_address",
            Map.ofEntries(
                    Map.entry("attention", Rule.length(0, 99)),
                    Map.entry("city", Rule.length(0, 99)),
                    Map.entry("country", Rule.pattern(2, 2, "^[A-Za-z]{2}$")),
                    Map.entry("email", Rule.length(0, 99)),
                    Map.entry("family_name", Rule.length(0, 99)),
                    Map.entry("given_name", Rule.length(0, 99)),
                    Map.entry("organization_name", Rule.length(0, 99)),
                    Map.entry("phone", Rule.length(5, 99)),
                    Map.entry("postal_code", Rule.length(0, 10)),
                    Map.entry("region", Rule.length(0, 99)),
                    Map.entry("street_address", Rule.length(0, 99)),
                    Map.entry("street_address2", Rule.length(0, 99)),
                    Map.entry("title", Rule.length(0, 20))),
            Set.of());

    static final TextObjectSchema PRODUCT_IDENTIFIERS = new TextObjectSchema(
            "product_identifiers",
            Map.of(
                    "brand", Rule.length(0, 70),
                    "category_path", Rule.length(0, 750),
                    "global_trade_item_number", Rule.length(0, 50),
                    "manufacturer_part_number", Rule.length(0, 70),
                    "color", Rule.length(0, 64),
                    "size", Rule.length(0, 64)),
            Set.of());

    static final TextObjectSchema MERCHANT_URLS = new TextObjectSchema(
            "merchant_urls",
            Map.of(
                    "confirmation", Rule.length(0, 2000),
                    "push", Rule.length(0, 2000)),
            Set.of("confirmation"));

    static final TextObjectSchema ATTACHMENT = new TextObjectSchema(
            "attachment",
            Map.of(
                    "body", Rule.length(0, Integer.MAX_VALUE),
                    "content_type", Rule.length(0, 255)),
            Set.of("body", "content_type"));

    /** Reads the object at the parser's current value, recording violations under {@link #name}. */
    void read(FieldReader reader, JsonParser parser) throws IOException {
        if (!reader.object(name)) {
            return;
        }
        reader.inObject(name);
        Set<String> seen = required.isEmpty() ? Set.of() : new HashSet<>();
        for (String field = reader.nextField(); field != null; field = reader.nextField()) {
            Rule rule = fields.get(field);
            if (rule == null) {
                reader.skip();
                continue;
            }
            if (!required.isEmpty()) {
                seen.add(field);
            }
            if (rule.pattern() == null) {
                reader.string(field, rule.min(), rule.max());
            } else if (reader.stringValue(field, rule.min(), rule.max())
                    && !rule.pattern().matcher(reader.text()).matches()) {
                reader.violation(field, "expected a value matching " + rule.patternText());
            }
        }
        if (!required.isEmpty()) {
            for (String field : required) {
                if (!seen.contains(field)) {
                    reader.violation(field, "required, missing");
                }
            }
        }
        reader.inObject(null);
    }
}
