package io.tokengateway.redis;

/**
 * Redis cannot answer now: refused, reset, timed out, or in a state that passes (a failover, a load).
 * Carries only the cause's class name, never its message, which may quote a command and its keys.
 */
public final class RedisUnavailableException extends RuntimeException {

    public RedisUnavailableException(Throwable cause) {
        super("Redis unavailable: " + cause.getClass().getSimpleName(), null, false, false);
    }
}
