package io.tokengateway.merchant;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tokengateway.config.GatewayConfig;
import io.tokengateway.config.GatewayConfig.MerchantConfig;

/**
 * The configured merchants, checked once at start-up: a merchant with a malformed base URL, empty
 * credentials or an id unfit for Redis key patterns stops the gateway from starting rather than failing
 * requests later.
 */
@Singleton
public class MerchantRegistry {

    /**
     * A merchant id is a Redis hash tag in every key and part of the ACL key pattern {@code ~tg:*{<merchant>}*}
     * (docs/operations.md): a glob character or a brace in it would widen the pattern, or end the hash tag early.
     */
    private static final java.util.regex.Pattern PLAIN_ID = java.util.regex.Pattern.compile("[^*?\\[\\]{}\\\\\\s]+");

    private final Map<String, Merchant> merchants;

    @Inject
    MerchantRegistry(GatewayConfig config) {
        this(config.merchants());
    }

    /** For tests and tools that build a registry without CDI. */
    public MerchantRegistry(Map<String, MerchantConfig> configured) {
        List<String> problems = new ArrayList<>();
        Map<String, Merchant> built = new TreeMap<>();
        configured.forEach((id, merchant) -> {
            String prefix = "gateway.merchants." + id;
            if (!PLAIN_ID.matcher(id).matches()) {
                problems.add(prefix + ": a merchant id must not contain *, ?, [, ], {, }, \\ or whitespace"
                        + " (Redis ACL key patterns ~tg:*{<merchant>}* would match other merchants' keys)");
            }
            URI baseUrl = checkBaseUrl(prefix, merchant.baseUrl(), problems);
            if (merchant.username().isBlank() || merchant.username().contains(":")) {
                problems.add(prefix + ".username must be non-empty and contain no ':'");
            }
            if (merchant.password().isBlank()) {
                problems.add(prefix + ".password must be non-empty");
            }
            built.put(
                    id,
                    new Merchant(
                            id,
                            baseUrl,
                            Credentials.basic(merchant.username(), merchant.password()),
                            merchant.idempotencyRequired()));
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid merchant configuration: " + String.join("; ", problems));
        }
        this.merchants = Map.copyOf(built);
    }

    public Optional<Merchant> find(String merchantId) {
        return Optional.ofNullable(merchants.get(merchantId));
    }

    /** Every configured merchant. */
    public java.util.Collection<Merchant> all() {
        return merchants.values();
    }

    public boolean contains(String merchantId) {
        return merchants.containsKey(merchantId);
    }

    private static URI checkBaseUrl(String prefix, URI url, List<String> problems) {
        boolean http = "http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme());
        if (!http
                || url.getHost() == null
                || url.getRawQuery() != null
                || url.getRawFragment() != null
                || url.getRawUserInfo() != null) {
            problems.add(prefix + ".base-url must be an http(s) URL with a host and no user info, query or fragment");
            return url;
        }
        // The scheme in lower case: the REST client decides on TLS by "https".equals(scheme), so HTTPS://
        // would send the merchant's credentials in clear to port 80.
        String text = url.getScheme().toLowerCase(java.util.Locale.ROOT)
                + url.toString().substring(url.getScheme().length());
        return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }
}
