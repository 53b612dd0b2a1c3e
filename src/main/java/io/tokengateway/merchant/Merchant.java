package io.tokengateway.merchant;

import java.net.URI;

import io.tokengateway.flow.Fact;

/**
 * A merchant account at the provider, as the gateway uses it.
 *
 * @param id          the merchant id callers name in {@code X-Merchant-Id}
 * @param baseUrl     the provider's base URL for this account, without a trailing slash
 * @param credentials the account's API credentials (prints as redacted)
 * @param idempotencyRequired whether create-order must carry an idempotency key
 */
public record Merchant(String id, URI baseUrl, Credentials credentials, boolean idempotencyRequired) {

    /** Established by the authorize step: the merchant the request acts for. */
    public static final Fact<Merchant> FACT = new Fact<>("merchant");

    /** The absolute upstream URL for a provider path such as {@code /customer-token/v1/tokens/x}. */
    public String url(String path) {
        return baseUrl + path;
    }
}
