package io.tokengateway.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.tokengateway.config.GatewayConfig;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * Runs rounds of Lua scripts on Redis, one round trip each, bounded by {@code gateway.redis.timeout} so that a
 * slow or unreachable Redis fails a request quickly instead of stalling it.
 *
 * <p>Failures come in two kinds, because they call for opposite reactions:
 * <ul>
 * <li>{@link RedisUnavailableException}: Redis cannot answer now (refused, reset, timed out, or a state
 * that passes: {@code READONLY}, {@code LOADING}, {@code CLUSTERDOWN}, {@code TRYAGAIN}, {@code MASTERDOWN},
 * {@code OOM}, {@code BUSY}). Callers apply their failure policy (fall back, fail open or closed).</li>
 * <li>{@link RedisFaultException}: Redis answered with any other error (a script error, {@code WRONGTYPE}):
 * a bug or a corrupted key, which a fallback would only hide. Logged and counted
 * ({@code gateway_redis_faults_total{script,error}}) here; callers answer 500.</li>
 * </ul>
 *
 * <p>A refused credential ({@code WRONGPASS}, {@code NOAUTH}: the password was rotated on one side only) is an
 * outage, not a fault: nothing in the request is wrong, and every request meets it until the credentials match
 * again. It is logged once when it starts, naming the cause (never the password), and once when Redis accepts
 * the gateway again; the requests in between meet their failure policy without a line each.
 */
@Singleton
public class RedisScripts {

    private static final Logger LOG = Logger.getLogger(RedisScripts.class);
    private static final Set<String> PASSING_STATES = Set.of(
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

    private static final Pattern JAVA_EXCEPTION = Pattern.compile("[a-z][\\w$]*(\\.[\\w$]+)+(:|\\s|$)");
    private static final Pattern BATCH_INDEX =
            Pattern.compile("^(?:ERR )?\\[\\d+\\] ?"); // no space before an exception's name

    private final ReactiveRedisDataSource redis;
    private final MeterRegistry registry;
    private final Duration timeout;
    /** Whether Redis refused the gateway's credentials last time it was asked: the outage is logged on its edges only. */
    private final AtomicBoolean credentialsRefused = new AtomicBoolean();

    private final RedisAvailability availability;

    RedisScripts(
            ReactiveRedisDataSource redis,
            MeterRegistry registry,
            GatewayConfig config,
            RedisAvailability availability) {
        this.redis = redis;
        this.registry = registry;
        this.timeout = config.redis().timeout();
        this.availability = availability;
    }

    /** What a round answered: one reply per call, in order, and how many replicas hold its writes. */
    public record RoundAnswer(List<RoundReply> replies, int replicas) {}

    /**
     * Runs {@code calls} as an admission round: in order, until a part says no or fails; the parts after it are
     * {@link RoundReply#SKIPPED}.
     */
    public Uni<RoundAnswer> admit(LuaScript script, List<ScriptCall> calls) {
        return round(script, "stop", calls);
    }

    /** Runs {@code calls} as a settlement round: every part runs, whatever the others did or failed to do. */
    public Uni<RoundAnswer> settle(LuaScript script, List<ScriptCall> calls) {
        return round(script, "each", calls);
    }

    /**
     * One round of {@code script} ({@code EVALSHA}, falling back to {@code EVAL} when Redis has not seen the
     * script, after a restart): one round trip, atomic, in order. A part that fails is a {@link RoundReply.Failed}
     * of its own (an outage or a fault, as {@link #classify} tells them apart), the parts before it keep their
     * replies. When a call needs replicas, the script and {@code WAIT} are pipelined in one batch, so both travel
     * on one connection: {@code WAIT} counts the replicas that hold every write made on the connection it is sent
     * on (it is not allowed inside a script). A batch is sent on one connection in every client type: standalone
     * and Sentinel take one pooled connection to the primary; the cluster client routes the whole batch to the
     * master of the script's slot (the keyless {@code WAIT} follows it). Each attempt is bounded by
     * {@code gateway.redis.timeout}, plus the replica timeout when there is one (an {@code EVAL} after
     * {@code NOSCRIPT} is a second attempt); a round that fails as a whole fails the {@code Uni}.
     */
    private Uni<RoundAnswer> round(LuaScript script, String sequence, List<ScriptCall> calls) {
        int replicas = 0;
        Duration waitTimeout = Duration.ZERO;
        for (ScriptCall call : calls) {
            replicas = Math.max(replicas, call.replicas());
            waitTimeout = call.replicaTimeout().compareTo(waitTimeout) > 0 ? call.replicaTimeout() : waitTimeout;
        }
        String[] arguments = arguments(sequence, calls);
        return (replicas == 0 ? once(script, arguments) : withWait(script, arguments, replicas, waitTimeout))
                .onFailure()
                .transform(failure -> availability.saw(classify("round.lua", failure)))
                .invoke(() -> {
                    acceptedAgain();
                    availability.answered();
                })
                .map(answered -> new RoundAnswer(replies(calls, answered.reply()), answered.replicas()));
    }

    /** The script's reply and the replicas that acknowledged it (0 without {@code WAIT}). */
    private record Answered(Response reply, int replicas) {}

    /** One reply per call: what its part answered, its error, or skipped when an earlier part ended the round. */
    private List<RoundReply> replies(List<ScriptCall> calls, Response reply) {
        List<RoundReply> replies = new ArrayList<>(calls.size());
        RuntimeException endedBy = null;
        for (int i = 0; i < calls.size(); i++) {
            if (i >= reply.size()) {
                // Not run: a part before it said no, or failed (its step then meets that failure, not a gap).
                replies.add(endedBy == null ? RoundReply.SKIPPED : new RoundReply.CutOff(endedBy));
                continue;
            }
            Response part = reply.get(i);
            String name = calls.get(i).part().name();
            if (part == null) { // round.lua never sends one; a nil would otherwise surface as a NullPointerException
                endedBy = classify(name, new IllegalStateException());
                replies.add(new RoundReply.Failed(endedBy));
            } else if (part.type() == ResponseType.ERROR && part.getDelegate() instanceof Throwable error) {
                endedBy = classify(name, error);
                replies.add(new RoundReply.Failed(endedBy));
            } else {
                replies.add(new RoundReply.Replied(part));
            }
        }
        return replies;
    }

    // Each attempt has its own bound: a NOSCRIPT answer (the script ran nowhere) must not eat the budget of the
    // EVAL that follows it, which with WAIT on a node without its replica takes the whole replica timeout again.
    private Uni<Answered> once(LuaScript script, String[] arguments) {
        return bounded(redis.execute("EVALSHA", withScript(script.sha1(), arguments)), Duration.ZERO)
                .onFailure(failure -> "NOSCRIPT".equals(errorCode(failure)))
                .recoverWithUni(
                        () -> bounded(redis.execute("EVAL", withScript(script.source(), arguments)), Duration.ZERO))
                .map(reply -> new Answered(reply, 0));
    }

    private Uni<Answered> withWait(LuaScript script, String[] arguments, int replicas, Duration waitTimeout) {
        return bounded(
                        batchWithWait(withScript(script.sha1(), arguments), "EVALSHA", replicas, waitTimeout),
                        waitTimeout)
                .onFailure(failure -> "NOSCRIPT".equals(errorCode(failure)))
                .recoverWithUni(() -> bounded(
                        batchWithWait(withScript(script.source(), arguments), "EVAL", replicas, waitTimeout),
                        waitTimeout));
    }

    /** {@code gateway.redis.timeout}, plus the replica timeout when the attempt waits for replicas. */
    private <T> Uni<T> bounded(Uni<T> attempt, Duration waitTimeout) {
        return attempt.ifNoItem().after(timeout.plus(waitTimeout)).failWith(TimeoutException::new);
    }

    private Uni<Answered> batchWithWait(String[] arguments, String command, int replicas, Duration waitTimeout) {
        Request run = Request.cmd(Command.create(command));
        for (String argument : arguments) {
            run.arg(argument);
        }
        Request wait = Request.cmd(Command.WAIT)
                .arg(replicas)
                .arg(Math.max(1, waitTimeout.toMillis())); // WAIT n 0 waits forever
        return redis.getRedis().batch(List.of(run, wait)).chain(replies -> {
            Response reply = replies.get(0);
            if (reply != null && reply.getDelegate() instanceof Throwable error) {
                return Uni.createFrom().failure(error); // an error reply inside a batch fails like a single call
            }
            return Uni.createFrom().item(new Answered(reply, replies.get(1).toInteger()));
        });
    }

    private RuntimeException classify(String scriptName, Throwable failure) {
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
        if (code != null ? isOutage(code) || isOverloaded(failure) : isRedisReply(failure) || isNoAnswer(failure)) {
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

    /** A round answered: if Redis had refused the gateway's credentials, it accepts them again. */
    private void acceptedAgain() {
        if (credentialsRefused.get() && credentialsRefused.compareAndSet(true, false)) {
            LOG.info("Redis accepts the gateway's credentials again");
        }
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
     * Anything else that is not a Redis reply (a null pointer, a client used after it closed) is a bug.
     */
    private static boolean isNoAnswer(Throwable failure) {
        return failure instanceof java.io.IOException
                || failure instanceof java.util.concurrent.TimeoutException
                || failure instanceof TimeoutException
                || failure instanceof io.vertx.core.VertxException
                || failure instanceof io.vertx.core.impl.NoStackTraceThrowable;
    }

    /** A failure the client reports as a Redis error reply; without a code, a batch command that never got a reply. */
    private static boolean isRedisReply(Throwable failure) {
        return failure instanceof io.vertx.redis.client.Response reply && reply.type() == ResponseType.ERROR;
    }

    /**
     * Passing states Redis reports under a plain ERR, or wrapped in a script's or a batch's error: refusing new
     * connections, a WAIT sent to a node that a failover just made a replica, a write a script made on one.
     */
    private static boolean isOverloaded(Throwable failure) {
        String message = failure.getMessage();
        return message != null
                && (message.contains("max number of clients reached")
                        || message.contains("WAIT cannot be used with replica")
                        || message.contains("READONLY")
                        || message.contains("MASTERDOWN")
                        || message.contains("LOADING")
                        || message.contains("CLUSTERDOWN")
                        || message.contains("TRYAGAIN"));
    }

    /** Whether an error code (null: no error reply at all, a refused or reset connection) means Redis cannot answer now. */
    static boolean isOutage(String code) {
        return code == null || PASSING_STATES.contains(code);
    }

    /** The error code of a Redis error reply ({@code WRONGTYPE}, {@code ERR}, ...); null for anything else. */
    static String errorCode(Throwable failure) {
        if (!(failure instanceof io.vertx.redis.client.Response reply) || reply.type() != ResponseType.ERROR) {
            return null;
        }
        String message =
                failure.getMessage() == null ? "" : failure.getMessage().strip();
        // A failed batch reports each failing command behind its index: "ERR [0] NOSCRIPT ...", or, when the
        // command never got a reply (written to a connection that had just closed), the exception's class name.
        java.util.regex.Matcher batch = BATCH_INDEX.matcher(message);
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

    /** {@code numkeys keys... sequence n (name keyCount argCount)... args...}, as {@code round.lua} reads them. */
    private static String[] arguments(String sequence, List<ScriptCall> calls) {
        int keyCount = 0;
        int argCount = 0;
        for (ScriptCall call : calls) {
            keyCount += call.keys().size();
            argCount += call.args().size();
        }
        String[] all = new String[1 + keyCount + 2 + 3 * calls.size() + argCount];
        all[0] = Integer.toString(keyCount);
        int at = 1;
        for (ScriptCall call : calls) {
            for (String key : call.keys()) {
                all[at++] = key;
            }
        }
        all[at++] = sequence;
        all[at++] = Integer.toString(calls.size());
        for (ScriptCall call : calls) {
            all[at++] = call.part().name();
            all[at++] = Integer.toString(call.keys().size());
            all[at++] = Integer.toString(call.args().size());
        }
        for (ScriptCall call : calls) {
            for (String arg : call.args()) {
                all[at++] = arg;
            }
        }
        return all;
    }

    private static String[] withScript(String script, String[] arguments) {
        String[] all = new String[arguments.length + 1];
        all[0] = script;
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        return all;
    }
}
