package io.tokengateway.redis;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.TimeoutException;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * Tells the two kinds of Redis failure apart, because they call for opposite reactions:
 * <ul>
 * <li>{@link RedisUnavailableException}: Redis cannot answer now (refused, reset, timed out, or a state that
 * passes: {@link #PASSING_STATES}). Callers apply their failure policy (fall back, fail open or closed).</li>
 * <li>{@link RedisFaultException}: Redis answered with any other error (a script error, {@code WRONGTYPE}): a
 * bug or a corrupted key, which a fallback would only hide. Logged and counted
 * ({@code gateway_redis_faults_total{script,error}}) here; callers answer 500.</li>
 * </ul>
 *
 * <p>A refused credential ({@code WRONGPASS}, {@code NOAUTH}: the password was rotated on one side only) is an
 * outage, not a fault: nothing in the request is wrong, and every request meets it until the credentials match
 * again. It is logged once when it starts, naming the cause (never the password), and once when Redis accepts
 * the gateway again; the requests in between meet their failure policy without a line each.
 */
@Singleton
public class RedisFailures {

    private static final Logger LOG = Logger.getLogger(RedisFailures.class);

    /**
     * The error codes of states that pass: a failover, a load, a full memory, a script still running. The same
     * words count when Redis reports them inside another error (a script's, a batch's, a plain {@code ERR}).
     */
    static final Set<String> PASSING_STATES = Set.of(
            "READONLY",
            "LOADING",
            "CLUSTERDOWN",
            "TRYAGAIN",
            "MASTERDOWN",
            "OOM",
            "BUSY",
            "NOREPLICAS",
            "MISCONF",
            "MOVED",
            "ASK",
            // not Redis's word but the client's, for a command in flight when its connection closed (a failover)
            "CONNECTION_CLOSED");

    /** Passing states Redis reports in words rather than a code: refusing connections, WAIT on a demoted node. */
    private static final Set<String> PASSING_PHRASES =
            Set.of("max number of clients reached", "WAIT cannot be used with replica");

    private static final Pattern UPPER_WORD = Pattern.compile("\\b[A-Z_]{2,20}\\b");
    private static final Pattern JAVA_EXCEPTION = Pattern.compile("[a-z][\\w$]*(\\.[\\w$]+)+(:|\\s|$)");
    private static final Pattern BATCH_INDEX =
            Pattern.compile("^(?:ERR )?\\[\\d+\\] ?"); // no space before an exception's name

    private final MeterRegistry registry;
    private final RedisAvailability availability;
    /** Whether Redis refused the gateway's credentials last time it was asked: the outage is logged on its edges only. */
    private final AtomicBoolean credentialsRefused = new AtomicBoolean();

    RedisFailures(MeterRegistry registry, RedisAvailability availability) {
        this.registry = registry;
        this.availability = availability;
    }

    /** A round of {@code scriptName} failed: the failure, classified, and the replica's view of Redis updated. */
    RuntimeException failed(String scriptName, Throwable failure) {
        return availability.saw(classify(scriptName, failure));
    }

    /** A round answered: Redis is up, and if it had refused the gateway's credentials, it accepts them again. */
    void answered() {
        if (credentialsRefused.get() && credentialsRefused.compareAndSet(true, false)) {
            LOG.info("Redis accepts the gateway's credentials again");
        }
        availability.answered();
    }

    /** One part of a round that failed; the round itself answered. */
    RuntimeException classify(String scriptName, Throwable failure) {
        String refusal = credentialRefusal(failure);
        if (refusal != null) {
            if (credentialsRefused.compareAndSet(false, true)) {
                LOG.errorf(
                        "Redis refused the gateway's credentials (%s): until it accepts them, every request meets the"
                                + " Redis failure policy (orders 503, the rate limit's fallback for reads). Check"
                                + " quarkus.redis.password (and the user in quarkus.redis.hosts) against the Redis ACL",
                        refusal);
            }
            return new RedisUnavailableException(failure);
        }
        String code = errorCode(failure);
        if (code != null
                ? isOutage(code) || reportsPassingState(failure)
                : isRedisReply(failure) || isNoAnswer(failure)) {
            return new RedisUnavailableException(failure);
        }
        // The code or the class only: the rest of an error line can quote a key or an argument.
        LOG.errorf(
                "Script %s failed with %s: a fault, not an outage (the request fails, no fallback)",
                scriptName,
                code != null ? "Redis error " + code : failure.getClass().getName());
        code = code == null ? "CLIENT" : code;
        registry.counter("gateway.redis.faults", "script", scriptName, "error", code)
                .increment();
        return new RedisFaultException(scriptName, code);
    }

    /**
     * {@code WRONGPASS} or {@code NOAUTH} when Redis refused the gateway's credentials (or asked for some and got
     * none), anywhere in the failure's causes (the client may wrap the reply to its connection handshake); null
     * for anything else. Only that word is ever logged: the rest of the line is Redis's, not ours to print.
     */
    static String credentialRefusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String message = cause.getMessage();
            if (message == null) {
                continue;
            }
            if (message.contains("WRONGPASS")
                    || message.contains("invalid username-password pair")
                    || message.contains("invalid password")) {
                return "WRONGPASS";
            }
            if (message.contains("NOAUTH")) {
                return "NOAUTH";
            }
        }
        return null;
    }

    /**
     * No answer from Redis: a refused, reset or closed connection, a timeout, a pool with no free connection.
     * Vert.x fails a future it makes from a message alone (a closed client, a full wait queue) with a bare
     * {@code Throwable}, neither an {@code Exception} nor an {@code Error}. Anything else that is not a Redis
     * reply (a null pointer, an illegal state) is a bug.
     */
    private static boolean isNoAnswer(Throwable failure) {
        return failure instanceof java.io.IOException
                || failure instanceof java.util.concurrent.TimeoutException
                || failure instanceof TimeoutException
                || failure instanceof io.vertx.core.VertxException
                || !(failure instanceof Exception || failure instanceof Error);
    }

    /** A failure the client reports as a Redis error reply; without a code, a batch command that never got a reply. */
    private static boolean isRedisReply(Throwable failure) {
        return failure instanceof Response reply && reply.type() == ResponseType.ERROR;
    }

    /** A passing state wrapped in another error: a script's, a batch's, or a plain {@code ERR}. */
    private static boolean reportsPassingState(Throwable failure) {
        String message = failure.getMessage();
        if (message == null) {
            return false;
        }
        for (String phrase : PASSING_PHRASES) {
            if (message.contains(phrase)) {
                return true;
            }
        }
        Matcher word = UPPER_WORD.matcher(message);
        while (word.find()) {
            if (PASSING_STATES.contains(word.group())) {
                return true;
            }
        }
        return false;
    }

    /** Whether an error code (null: no error reply at all, a refused or reset connection) means Redis cannot answer now. */
    static boolean isOutage(String code) {
        return code == null || PASSING_STATES.contains(code);
    }

    /** The error code of a Redis error reply ({@code WRONGTYPE}, {@code ERR}, ...); null for anything else. */
    static String errorCode(Throwable failure) {
        if (!(failure instanceof Response reply) || reply.type() != ResponseType.ERROR) {
            return null;
        }
        String message =
                failure.getMessage() == null ? "" : failure.getMessage().strip();
        // A failed batch reports each failing command behind its index: "ERR [0] NOSCRIPT ...", or, when the
        // command never got a reply (written to a connection that had just closed), the exception's class name.
        Matcher batch = BATCH_INDEX.matcher(message);
        if (batch.lookingAt()) {
            message = message.substring(batch.end());
            if (JAVA_EXCEPTION.matcher(message).lookingAt()) {
                return null;
            }
        }
        // The code ends at the first blank or line break (a batch reports one line per failed command).
        int end = 0;
        while (end < message.length() && !Character.isWhitespace(message.charAt(end))) {
            end++;
        }
        String code = message.substring(0, end).toUpperCase(Locale.ROOT);
        // A fixed set of shapes only, so no request data can become a metric label.
        return code.matches("[A-Z_]{2,20}") ? code : "ERR";
    }
}
