package io.tokengateway.redis;

/**
 * Redis answered a script with an error that is no outage (a script error, {@code WRONGTYPE}): a bug or
 * a corrupted key. Carries only the script's name and the error code, never the reply's text.
 */
public final class RedisFaultException extends RuntimeException {

    public RedisFaultException(String script, String code) {
        super("Redis fault in " + script + ": " + code, null, false, false);
    }
}
