package io.tokengateway.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.flow.PartOutcome;
import io.tokengateway.flow.ScriptCall;
import io.tokengateway.flow.ScriptReply;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * Runs rounds of Lua scripts on Redis, one round trip each, bounded by {@code gateway.redis.timeout} so that a
 * slow or unreachable Redis fails a request quickly instead of stalling it. What a failure means (an outage the
 * caller's failure policy handles, or a fault) is {@link RedisFailures}' to say.
 */
@Singleton
public class RedisScripts {

    private final ReactiveRedisDataSource redis;
    private final RedisFailures failures;
    private final Duration timeout;

    RedisScripts(ReactiveRedisDataSource redis, RedisFailures failures, GatewayConfig config) {
        this.redis = redis;
        this.failures = failures;
        this.timeout = config.redis().timeout();
    }

    /** What a round came to: one outcome per call, in order, and how many replicas hold its writes. */
    public record RoundOutcome(List<PartOutcome> parts, int replicas) {}

    /**
     * Runs {@code calls} as an admission round: in order, until a part says no or fails; the parts after it are
     * {@link PartOutcome#SKIPPED}.
     */
    public Uni<RoundOutcome> admit(LuaScript script, List<ScriptCall> calls) {
        return round(script, "stop", calls);
    }

    /** Runs {@code calls} as a settlement round: every part runs, whatever the others did or failed to do. */
    public Uni<RoundOutcome> settle(LuaScript script, List<ScriptCall> calls) {
        return round(script, "each", calls);
    }

    /**
     * One round of {@code script} ({@code EVALSHA}, falling back to {@code EVAL} when Redis has not seen the
     * script, after a restart): one round trip, atomic, in order. A part that fails is a {@link PartOutcome.Failed}
     * of its own (an outage or a fault, as {@link RedisFailures} tells them apart), the parts before it keep their
     * replies. When a call needs replicas, the script and {@code WAIT} are pipelined in one batch, so both travel
     * on one connection: {@code WAIT} counts the replicas that hold every write made on the connection it is sent
     * on (it is not allowed inside a script). A batch is sent on one connection in every client type: standalone
     * and Sentinel take one pooled connection to the primary; the cluster client routes the whole batch to the
     * master of the script's slot (the keyless {@code WAIT} follows it). Each attempt is bounded by
     * {@code gateway.redis.timeout}, plus the replica timeout when there is one (an {@code EVAL} after
     * {@code NOSCRIPT} is a second attempt); a round that fails as a whole fails the {@code Uni}.
     */
    private Uni<RoundOutcome> round(LuaScript script, String sequence, List<ScriptCall> calls) {
        int replicas = 0;
        Duration waitTimeout = Duration.ZERO;
        for (ScriptCall call : calls) {
            replicas = Math.max(replicas, call.replicas());
            waitTimeout = call.replicaTimeout().compareTo(waitTimeout) > 0 ? call.replicaTimeout() : waitTimeout;
        }
        String[] arguments = arguments(sequence, calls);
        return (replicas == 0 ? once(script, arguments) : withWait(script, arguments, replicas, waitTimeout))
                .onFailure()
                .transform(failure -> failures.failed("round.lua", failure))
                .invoke(failures::answered)
                .map(acknowledged -> new RoundOutcome(outcomes(calls, acknowledged.reply()), acknowledged.replicas()));
    }

    /** The round script's reply as the client read it, and the replicas that acknowledged its writes (0 without {@code WAIT}). */
    private record Acknowledged(Response reply, int replicas) {}

    /** One outcome per call: what its part replied, its error, or skipped when an earlier part ended the round. */
    private List<PartOutcome> outcomes(List<ScriptCall> calls, Response reply) {
        List<PartOutcome> outcomes = new ArrayList<>(calls.size());
        RuntimeException endedBy = null;
        for (int i = 0; i < calls.size(); i++) {
            if (i >= reply.size()) {
                // Not run: a part before it said no, or failed (its step then meets that failure, not a gap).
                outcomes.add(endedBy == null ? PartOutcome.SKIPPED : new PartOutcome.CutOff(endedBy));
                continue;
            }
            Response part = reply.get(i);
            String name = calls.get(i).part().name();
            if (part == null) { // round.lua never sends one; a nil would otherwise surface as a NullPointerException
                endedBy = failures.classify(name, new IllegalStateException());
                outcomes.add(new PartOutcome.Failed(endedBy));
            } else if (part.type() == ResponseType.ERROR && part.getDelegate() instanceof Throwable error) {
                endedBy = failures.classify(name, error);
                outcomes.add(new PartOutcome.Failed(endedBy));
            } else {
                outcomes.add(new PartOutcome.Replied(scriptReply(part)));
            }
        }
        return outcomes;
    }

    /** The client's reply as a step reads it: arrays as lists, integers as integers, anything else as its text. */
    static ScriptReply scriptReply(Response response) {
        if (response == null) {
            return ScriptReply.NIL;
        }
        if (response.type() == ResponseType.MULTI) {
            List<ScriptReply> items = new ArrayList<>(response.size());
            for (int i = 0; i < response.size(); i++) {
                items.add(scriptReply(response.get(i)));
            }
            return ScriptReply.list(items);
        }
        if (response.type() == ResponseType.NUMBER) {
            return ScriptReply.integer(response.toLong());
        }
        if (response.type() == ResponseType.BOOLEAN) { // a Lua true over RESP3; RESP2 sends the integer 1
            return ScriptReply.integer(response.toBoolean() ? 1 : 0);
        }
        return ScriptReply.text(response.toString());
    }

    // Each attempt has its own bound: a NOSCRIPT answer (the script ran nowhere) must not eat the budget of the
    // EVAL that follows it, which with WAIT on a node without its replica takes the whole replica timeout again.
    private Uni<Acknowledged> once(LuaScript script, String[] arguments) {
        return bounded(redis.execute("EVALSHA", withScript(script.sha1(), arguments)), Duration.ZERO)
                .onFailure(failure -> "NOSCRIPT".equals(RedisFailures.errorCode(failure)))
                .recoverWithUni(
                        () -> bounded(redis.execute("EVAL", withScript(script.source(), arguments)), Duration.ZERO))
                .map(reply -> new Acknowledged(reply, 0));
    }

    private Uni<Acknowledged> withWait(LuaScript script, String[] arguments, int replicas, Duration waitTimeout) {
        return bounded(
                        batchWithWait(withScript(script.sha1(), arguments), "EVALSHA", replicas, waitTimeout),
                        waitTimeout)
                .onFailure(failure -> "NOSCRIPT".equals(RedisFailures.errorCode(failure)))
                .recoverWithUni(() -> bounded(
                        batchWithWait(withScript(script.source(), arguments), "EVAL", replicas, waitTimeout),
                        waitTimeout));
    }

    /** {@code gateway.redis.timeout}, plus the replica timeout when the attempt waits for replicas. */
    private <T> Uni<T> bounded(Uni<T> attempt, Duration waitTimeout) {
        return attempt.ifNoItem().after(timeout.plus(waitTimeout)).failWith(TimeoutException::new);
    }

    private Uni<Acknowledged> batchWithWait(String[] arguments, String command, int replicas, Duration waitTimeout) {
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
            return Uni.createFrom().item(new Acknowledged(reply, replies.get(1).toInteger()));
        });
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
