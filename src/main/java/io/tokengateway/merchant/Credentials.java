package io.tokengateway.merchant;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A merchant's API credentials, held only as the prepared {@code Authorization: Basic} value.
 *
 * <p>Deliberately not a record: a record's {@code toString} would print the secret into any log line
 * or exception that mentions a merchant. This class prints nothing of it.
 */
public final class Credentials {

    private final String basicAuthorization;
    /** The header's bytes, kept for {@link #equals}: it runs on every request's client lookup, so it allocates nothing. */
    private final byte[] comparable;

    private Credentials(String basicAuthorization) {
        this.basicAuthorization = basicAuthorization;
        this.comparable = basicAuthorization.getBytes(StandardCharsets.UTF_8);
    }

    public static Credentials basic(String username, String password) {
        String pair = username + ":" + password;
        return new Credentials("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    /** The value of the {@code Authorization} header sent upstream. Never log it. */
    public String authorizationHeader() {
        return basicAuthorization;
    }

    /**
     * Same credentials: what decides whether a merchant's provider client must be rebuilt after a policy change
     * (a rotated password). Compared in constant time, as any secret is.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Credentials that && java.security.MessageDigest.isEqual(comparable, that.comparable);
    }

    /** Constant: a hash of the secret would be one more thing derived from it; a map of clients is small. */
    @Override
    public int hashCode() {
        return 1;
    }

    @Override
    public String toString() {
        return "Credentials[redacted]";
    }
}
