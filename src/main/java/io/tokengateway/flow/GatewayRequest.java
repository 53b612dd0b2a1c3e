package io.tokengateway.flow;

import java.nio.charset.StandardCharsets;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.tokengateway.digest.Sha256;

/**
 * What a caller sent, as the API layer received it; nothing here has been checked yet.
 *
 * @param rawPath             the request path exactly as sent, before any decoding or normalisation
 * @param customerToken       the token from the path, as decoded by the router
 * @param merchantId          {@code X-Merchant-Id}, or null
 * @param idempotencyKey      {@code Klarna-Idempotency-Key} (or its alias {@code Idempotency-Key}), or null
 * @param correlationIdHeader {@code X-Correlation-Id} exactly as sent, or null
 * @param correlationId       the id this request is known by: the caller's when well-formed, else generated
 * @param contentType         {@code Content-Type}, or null
 * @param body                the raw body bytes as read, validated, fingerprinted and forwarded without a copy;
 *                            empty for read-token. Never modified after the request is built.
 * @param credential          the caller's {@code Authorization} header, opaque: recognises a token verified before
 * @param identity            the caller's identity, resolved (and the bearer token verified) on subscription
 */
public record GatewayRequest(
        Operation operation,
        String rawPath,
        String customerToken,
        String merchantId,
        String idempotencyKey,
        String correlationIdHeader,
        String correlationId,
        String contentType,
        byte[] body,
        CallerCredential credential,
        Uni<SecurityIdentity> identity) {

    private static final byte[] SEPARATOR = {0};

    /**
     * SHA-256 over operation, customer token and raw body together (the token cannot hold a NUL): what
     * makes two requests the same request, sent again.
     */
    public String fingerprint() {
        return Sha256.hexOfParts(
                operation.id().getBytes(StandardCharsets.US_ASCII),
                SEPARATOR,
                customerToken.getBytes(StandardCharsets.UTF_8),
                SEPARATOR,
                body);
    }
}
