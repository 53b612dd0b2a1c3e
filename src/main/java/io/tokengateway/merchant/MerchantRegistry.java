package io.tokengateway.merchant;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.tokengateway.config.PolicyConfig.MerchantConfig;
import io.tokengateway.flow.Fact;

/**
 * The merchants of one policy, checked when the policy is read (at start and on every change): a merchant with a
 * malformed base URL, empty credentials or an id unfit for Redis key patterns makes the whole policy invalid
 * rather than failing requests later.
 */
public final class MerchantRegistry {

    /** The registry of the policy the request runs under. */
    public static final Fact<MerchantRegistry> FACT = new Fact<>("merchants");

    /**
     * A merchant id is a Redis hash tag in every key and part of the ACL key pattern {@code ~tg:*{<merchant>}*}
     * (docs/operations.md): a glob character or a brace in it would widen the pattern, or end the hash tag early.
     */
    private static final java.util.regex.Pattern PLAIN_ID = java.util.regex.Pattern.compile("[^*?\\[\\]{}\\\\\\s]+");

    private final Map<String, Merchant> merchants;

    private MerchantRegistry(Map<String, Merchant> merchants) {
        this.merchants = Map.copyOf(merchants);
    }

    /**
     * The merchants of {@code configured}, with the passwords already read ({@code passwords}, by merchant id; a
     * merchant without one has had its problem reported by whoever read it). Each problem found is added to
     * {@code problems}, naming the property and why, never a value.
     */
    public static MerchantRegistry build(
            Map<String, MerchantConfig> configured, Map<String, String> passwords, List<String> problems) {
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
            String password = passwords.getOrDefault(id, "");
            built.put(
                    id,
                    new Merchant(
                            id,
                            baseUrl,
                            Credentials.basic(merchant.username(), password),
                            merchant.idempotencyRequired()));
        });
        return new MerchantRegistry(built);
    }

    /** For tests and tools: the merchants of {@code configured} with their {@code password}, or the problems thrown. */
    public static MerchantRegistry of(Map<String, MerchantConfig> configured) {
        List<String> problems = new ArrayList<>();
        Map<String, String> passwords = new TreeMap<>();
        configured.forEach((id, merchant) -> merchant.password()
                .filter(password -> !password.isBlank())
                .ifPresentOrElse(
                        password -> passwords.put(id, password),
                        () -> problems.add("gateway.merchants." + id + ".password must be non-empty")));
        MerchantRegistry registry = build(configured, passwords, problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid merchant configuration: " + String.join("; ", problems));
        }
        return registry;
    }

    public Optional<Merchant> find(String merchantId) {
        return Optional.ofNullable(merchants.get(merchantId));
    }

    /** Every merchant of the policy. */
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
