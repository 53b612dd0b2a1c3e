package io.tokengateway.auth;

/**
 * An authenticated internal service.
 *
 * @param id the caller id: the first present of the configured claims ({@code gateway.caller-claims})
 */
public record Caller(String id) {
}
