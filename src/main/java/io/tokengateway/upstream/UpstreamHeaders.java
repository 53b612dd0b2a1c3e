package io.tokengateway.upstream;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.vertx.mutiny.core.MultiMap;

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

    static Map<String, String> passedBack(MultiMap upstream) {
        Map<String, String> kept = new LinkedHashMap<>();
        upstream.forEach(entry -> {
            if (PASSED_BACK.contains(entry.getKey().toLowerCase(java.util.Locale.ROOT))) {
                kept.putIfAbsent(entry.getKey(), entry.getValue());
            }
        });
        return kept;
    }
}
