package io.tokengateway.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import io.tokengateway.masking.CardNumberMasker;
import io.tokengateway.masking.SensitiveTextMasker;

/**
 * The card-number detector against the cheapest possible pass over the same text (a loop counting its
 * digits), measured in the same run: the ratio of the two, not the absolute figure, is what carries over
 * from one noisy shared machine to another. The token/credential masker is measured on the same lines.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CardDetectorBenchmark extends BenchmarkDefaults {

    static final String LOG_LINE = "2026-11-22 00:03:57,624 INFO  [io.tok.upstream] (vert.x-eventloop-thread-1) "
            + "upstream answered 200 in 9 ms for create-order, merchant keyless-shop, caller orders-team";
    /** Audit-like, with ids whose long digit runs are no card (the hash holds a Luhn-valid Visa): each reaches the issuer and Luhn checks. */
    static final String DIGIT_IDS = "{\"time_ns\":1732233600123456789,\"order_id\":\"ORD-2026-000000123456789\","
            + "\"correlation_id\":\"41111111-1111-1111-1111-111111111111\",\"instance\":\"4166cea2-57e4-4801-8650-2241d33993ed\","
            + "\"prev\":\"68b11d3db2a2a69d4111111111111111fb3e7f3631661611dab5949698ca6370\",\"status\":200}";

    @Param({"log", "access", "audit", "ids", "card"})
    String line;

    /** Not final and set in setup, so the JIT cannot fold the scan of a constant away. */
    private String text;

    private final SensitiveTextMasker masker =
            new SensitiveTextMasker(java.util.List.of("main-shop-secret-Zq7", "keyless-shop-secret-Xw4"));

    @Setup
    public void pickLine() {
        text = switch (line) {
            case "log" -> LOG_LINE;
            case "access" -> MaskingBenchmark.ACCESS_LINE;
            case "audit" -> MaskingBenchmark.AUDIT_RECORD;
            case "ids" -> DIGIT_IDS;
            case "card" -> MaskingBenchmark.CARD_LINE;
            default -> throw new IllegalArgumentException(line);
        };
    }

    @Benchmark
    public String detector() {
        return CardNumberMasker.mask(text);
    }

    @Benchmark
    public String fullMasker() {
        return masker.mask(text);
    }

    /** Baseline: one plain pass over every character, the floor for any detector reading the text. */
    @Benchmark
    public int baselineCountDigits() {
        String t = text;
        int digits = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            }
        }
        return digits;
    }
}
