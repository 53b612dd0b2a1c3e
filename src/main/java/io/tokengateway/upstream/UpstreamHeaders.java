package io.tokengateway.upstream;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which upstream response headers reach the caller. An allow-list, not a deny-list: the caller gets
 * the provider's correlation id, content type and rate-limit information, and nothing the gateway
 * did not decide to pass (no cookies, no hop-by-hop headers, no server fingerprints).
 */
final class UpstreamHeaders {

    private static final Set<String> PASSED_BACK = Set.of(
            "content-type",
            "klarna-correlation-id",
            "location",
            "retry-after",
            "ratelimit",
            "ratelimit-policy",
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset");

    private UpstreamHeaders() {}

    /** The allowed headers of an answer, each with its first value. */
    static Map<String, String> passedBack(Map<String, List<String>> upstream) {
        Map<String, String> kept = new LinkedHashMap<>();
        upstream.forEach((name, values) -> {
            if (!values.isEmpty() && PASSED_BACK.contains(name.toLowerCase(Locale.ROOT))) {
                kept.putIfAbsent(name, values.get(0));
            }
        });
        return kept;
    }
}
