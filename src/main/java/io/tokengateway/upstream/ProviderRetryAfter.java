package io.tokengateway.upstream;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * How long a provider 429 holds the merchant: its {@code Retry-After} (delta-seconds or an HTTP-date), 1 s when
 * absent, unparseable or already past, at most 60 s, so a wrong header cannot lock a merchant out for long.
 */
public final class ProviderRetryAfter {

    static final Duration DEFAULT = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(60);

    private ProviderRetryAfter() {}

    /** The hold for a 429 whose headers are {@code headers}, an HTTP-date read against {@code now}. */
    public static Duration holdOf(Map<String, String> headers, Instant now) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if ("Retry-After".equalsIgnoreCase(header.getKey())) {
                return parse(header.getValue().trim(), now);
            }
        }
        return DEFAULT;
    }

    static Duration parse(String value, Instant now) {
        Duration asked;
        if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // more than 60 s of digits is the cap, whatever its length
            asked = value.length() > 6 ? MAX : Duration.ofSeconds(Long.parseLong(value));
        } else {
            try {
                asked = Duration.between(
                        now,
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
            } catch (DateTimeParseException e) {
                return DEFAULT;
            }
        }
        if (asked.compareTo(Duration.ofMillis(1)) < 0) {
            return DEFAULT;
        }
        return asked.compareTo(MAX) > 0 ? MAX : asked;
    }
}
