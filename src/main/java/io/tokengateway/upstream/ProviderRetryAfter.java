package io.tokengateway.upstream;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long a provider 429 holds the merchant: its {@code Retry-After} (delta-seconds or an HTTP-date), 1 s when
 * absent, unparseable or already past, at most 60 s, so a wrong header cannot lock a merchant out for long.
 */
public final class ProviderRetryAfter {

    static final Duration DEFAULT = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(60);

    private static final List<DateTimeFormatter> HTTP_DATES = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", Locale.US),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC));

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

    /**
     * An HTTP-date in any of the three forms a recipient must accept (RFC 9110 section 5.6.7): IMF-fixdate, the
     * obsolete RFC 850 form and asctime; null when it is none of them. Read against the gateway's clock: the
     * provider's {@code Date} is not passed on, and the 60 s cap bounds what a skewed clock can do.
     */
    private static Instant httpDate(String value) {
        for (DateTimeFormatter form : HTTP_DATES) {
            try {
                return ZonedDateTime.parse(value, form).toInstant();
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return null;
    }

    static Duration parse(String value, Instant now) {
        Duration asked;
        if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            String digits = value.replaceFirst("^0+(?=.)", ""); // "0000005" is 5 s
            // more than 60 s of digits is the cap, whatever its length
            asked = digits.length() > 6 ? MAX : Duration.ofSeconds(Long.parseLong(digits));
        } else {
            Instant until = httpDate(value);
            if (until == null) {
                return DEFAULT;
            }
            asked = Duration.between(now, until);
        }
        if (asked.compareTo(Duration.ofMillis(1)) < 0) {
            return DEFAULT;
        }
        return asked.compareTo(MAX) > 0 ? MAX : asked;
    }
}
