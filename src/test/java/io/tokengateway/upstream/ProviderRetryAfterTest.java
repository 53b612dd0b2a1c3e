package io.tokengateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How long a provider 429 holds the merchant. */
class ProviderRetryAfterTest {

    /** A Sunday, so that all three HTTP-date forms name the right weekday. */
    private static final Instant NOW = Instant.parse("2026-12-06T08:49:37Z");

    @ParameterizedTest(name = "Retry-After: \"{0}\" holds {1} ms")
    @CsvSource(
            delimiter = '|',
            value = {
                "5                              | 5000",
                "0000005                        | 5000",
                "60                             | 60000",
                "61                             | 60000",
                "999999                         | 60000",
                "99999999999999999999999        | 60000",
                "0                              | 1000",
                "000                            | 1000",
                "-5                             | 1000",
                "5s                             | 1000",
                "soon                           | 1000",
                "Sun, 06 Dec 2026 08:49:47 GMT  | 10000",
                "Sunday, 06-Dec-26 08:49:47 GMT | 10000",
                "Sun Dec  6 08:49:47 2026       | 10000",
                "Sun, 06 Dec 2026 08:59:37 GMT  | 60000",
                "Sun, 06 Dec 2026 08:49:37 GMT  | 1000",
                "Sun, 06 Dec 2026 08:49:36 GMT  | 1000",
            })
    void holdsWhatTheProviderAskedWithinOneToSixtySeconds(String value, long millis) {
        assertEquals(Duration.ofMillis(millis), ProviderRetryAfter.holdOf(Map.of("Retry-After", value), NOW));
    }

    @Test
    void aFewMillisecondsAheadIsHeldAsAsked() {
        assertEquals(
                Duration.ofMillis(1), ProviderRetryAfter.parse("Sun, 06 Dec 2026 08:49:38 GMT", NOW.plusMillis(999)));
    }

    @Test
    void theHeaderNameIsCaseInsensitiveAndTheValueTrimmed() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("retry-after", " 7 ");
        assertEquals(Duration.ofSeconds(7), ProviderRetryAfter.holdOf(headers, NOW));
    }

    @Test
    void withoutTheHeaderTheHoldIsOneSecond() {
        assertEquals(Duration.ofSeconds(1), ProviderRetryAfter.holdOf(Map.of("Content-Type", "text/plain"), NOW));
        assertEquals(Duration.ofSeconds(1), ProviderRetryAfter.holdOf(Map.of(), NOW));
    }

    @Test
    void anEmptyValueHoldsOneSecond() {
        assertEquals(Duration.ofSeconds(1), ProviderRetryAfter.holdOf(Map.of("Retry-After", ""), NOW));
    }
}
