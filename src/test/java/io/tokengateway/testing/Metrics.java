package io.tokengateway.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Reads the Prometheus scrape from the management interface and asserts on series, with short messages. */
public final class Metrics {

    private Metrics() {}

    public static String scrape(URL metrics) {
        return given().when().get(metrics).then().statusCode(200).extract().asString();
    }

    private static final java.util.regex.Pattern LABEL =
            java.util.regex.Pattern.compile("\\w+=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Every label value of every series in a Prometheus scrape (comments and sample values left out). */
    public static java.util.List<String> labelValues(String scrape) {
        java.util.List<String> values = new java.util.ArrayList<>();
        for (String line : scrape.split("\n")) {
            int open = line.indexOf('{');
            int close = line.lastIndexOf('}');
            if (line.startsWith("#") || open < 0 || close < open) {
                continue;
            }
            java.util.regex.Matcher label = LABEL.matcher(line.substring(open + 1, close));
            while (label.find()) {
                values.add(label.group(1));
            }
        }
        return values;
    }

    /** Asserts that a series with this name and label text is present. */
    public static void assertSeries(URL metrics, String series) {
        String scrape = scrape(metrics);
        assertTrue(
                scrape.contains(series),
                () -> "no series " + series + "; gateway series present:\n"
                        + Arrays.stream(scrape.split("\n"))
                                .filter(l -> l.startsWith("gateway_"))
                                .collect(Collectors.joining("\n")));
    }
}
