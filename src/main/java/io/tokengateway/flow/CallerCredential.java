package io.tokengateway.flow;

import java.nio.charset.StandardCharsets;

import io.tokengateway.digest.Sha256;

/**
 * The caller's {@code Authorization} header exactly as sent, held only to recognise a bearer token
 * verified before. It never prints itself and is never forwarded.
 */
public final class CallerCredential {

    private static final CallerCredential NONE = new CallerCredential(null);
    private static final String BEARER = "Bearer ";

    private final String header;

    private CallerCredential(String header) {
        this.header = header;
    }

    /** The credential of a request whose {@code Authorization} header is {@code header} (null when absent). */
    public static CallerCredential of(String header) {
        return header == null || header.isEmpty() ? NONE : new CallerCredential(header);
    }

    public boolean isPresent() {
        return header != null;
    }

    /**
     * Whether this header is exactly {@code Bearer <token>} (the scheme in any case): that the token Quarkus OIDC
     * verified is the one this header carries, and not one it took from elsewhere (another configured header).
     */
    public boolean carries(String token) {
        return header != null
                && token != null
                && !token.isEmpty()
                && header.length() == BEARER.length() + token.length()
                && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && header.endsWith(token);
    }

    /** SHA-256 of the whole header: what a verified token is remembered by, instead of the token itself. */
    public byte[] sha256() {
        if (header == null) {
            throw new IllegalStateException("no credential");
        }
        return Sha256.of(header.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return header == null ? "CallerCredential[none]" : "CallerCredential[redacted]";
    }
}
