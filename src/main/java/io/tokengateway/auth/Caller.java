package io.tokengateway.auth;

import io.tokengateway.flow.Fact;

/**
 * An authenticated internal service.
 *
 * @param id the caller id: the first present of the configured claims ({@code gateway.caller-claims})
 */
public record Caller(String id) {

    /** Established by the authenticate step. */
    public static final Fact<Caller> FACT = new Fact<>("caller");
}
