package io.tokengateway.upstream;

import java.util.Set;

/** Every header the provider may receive from the gateway, by kind of call (lower case): the allow-list, once. */
final class ProviderRequestHeaders {

    /** An order: the merchant's credentials, the idempotency key and the raw JSON body's headers. */
    static final Set<String> ORDER = Set.of(
            "host",
            "user-agent",
            "accept",
            "authorization",
            "content-type",
            "content-length",
            "klarna-idempotency-key");

    /** A call without a body or key (read-token). */
    static final Set<String> BODYLESS = Set.of("host", "user-agent", "accept", "authorization");

    private ProviderRequestHeaders() {}
}
