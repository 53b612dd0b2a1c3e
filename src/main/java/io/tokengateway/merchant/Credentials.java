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

    private Credentials(String basicAuthorization) {
        this.basicAuthorization = basicAuthorization;
    }

    public static Credentials basic(String username, String password) {
        String pair = username + ":" + password;
        return new Credentials("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    /** The value of the {@code Authorization} header sent upstream. Never log it. */
    public String authorizationHeader() {
        return basicAuthorization;
    }

    @Override
    public String toString() {
        return "Credentials[redacted]";
    }
}
