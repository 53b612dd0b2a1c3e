package io.tokengateway.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import io.tokengateway.flow.ScriptPart;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * Records added to a Redis Stream, one entry (field {@code record}) per record, in {@code seq} order: one
 * script per batch ({@code stream_append.lua}), so a batch is added whole or not at all, on a standalone
 * Redis, behind Sentinel or on a Cluster alike (the script's two keys share one hash slot). Beside the stream
 * the script keeps the seq of this writer's last record in it, and adds only records past it: a batch sent again
 * after an unknown outcome (a timed-out reply, a connection lost after sending, a failover) is never added
 * twice. Entries older than the retention period are trimmed ({@code MINID}); the retention is longer than the
 * checkpoint interval, so nothing after an instance's last checkpoint is ever trimmed.
 *
 * <p>Runs on the writer thread, which may wait for Redis: it is not an event-loop thread, and waiting is
 * what makes the caller's answer follow its record.
 */
final class RedisStreamAuditSink implements AuditSink {

    private static final Logger LOG = Logger.getLogger(RedisStreamAuditSink.class);

    private static final String SCRIPT =
            ScriptPart.load("io/tokengateway/audit/stream_append.lua").source();

    /**
     * Error replies that mean the script did not run (or stopped before its first write, which it never
     * follows with a failing one): the batch is certainly not in the stream. Any other failure, the client's
     * {@code CONNECTION_CLOSED} included, leaves the outcome unknown.
     */
    private static final Set<String> NOT_RUN = Set.of(
            "ERR",
            "WRONGTYPE",
            "OOM",
            "READONLY",
            "NOREPLICAS",
            "MASTERDOWN",
            "CLUSTERDOWN",
            "MOVED",
            "ASK",
            "TRYAGAIN",
            "CROSSSLOT",
            "LOADING",
            "BUSY",
            "NOPERM",
            "NOAUTH",
            "WRONGPASS",
            "NOSCRIPT",
            "AUDITSEQ"); // the script's own refusal: the writer's last seq inside or past the batch

    private final Redis redis;
    private final String key;
    private final long retentionMillis;
    private final Duration timeout;
    private final int replicaAcks;

    /**
     * @param replicaAcks replicas that must hold a batch before it counts as written ({@code WAIT}, within half
     *                    the timeout); 0: the primary's reply is enough
     */
    RedisStreamAuditSink(Redis redis, String key, Duration retention, Duration timeout, int replicaAcks) {
        this.redis = redis;
        this.key = key;
        writerKey(key, ""); // refuses a name no writer key can share a slot with, at start
        this.retentionMillis = retention.toMillis();
        this.timeout = timeout;
        this.replicaAcks = replicaAcks;
    }

    /**
     * The key holding the seq of {@code instance}'s last record in {@code stream}: in the stream's hash slot, and
     * beginning with the stream's name, so an ACL key pattern that covers the stream and what follows its name
     * ({@code ~tg:*}, {@code ~tg:audit:{checkout}*}) covers it too. A name with a hash tag keeps it as the first;
     * one without gets its whole name as the tag after it. A name with a brace but no tag is refused (at start).
     */
    static String writerKey(String stream, String instance) {
        int open = stream.indexOf('{');
        if (open >= 0 && stream.indexOf('}', open + 1) > open + 1) {
            return stream + ":writer:" + instance;
        }
        if (open >= 0 || stream.indexOf('}') >= 0) {
            throw new IllegalStateException(
                    "gateway.audit.redis-stream.key: a name with a brace needs a hash tag, e.g. tg:audit:{name}");
        }
        return stream + ":writer:{" + stream + "}:" + instance;
    }

    @Override
    public void write(byte[] lines) throws IOException {
        List<String> records = new ArrayList<>();
        for (String line : new String(lines, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                records.add(line);
            }
        }
        if (records.isEmpty()) {
            return;
        }
        JsonObject first = new JsonObject(records.get(0));
        long firstSeq = first.getLong("seq");
        long lastSeq = new JsonObject(records.get(records.size() - 1)).getLong("seq");
        if (lastSeq - firstSeq + 1 != records.size()) {
            throw new IOException("an audit batch whose seq numbers are not consecutive"); // a writer bug: nothing sent
        }
        Request append = Request.cmd(Command.EVAL)
                .arg(SCRIPT)
                .arg(2)
                .arg(key)
                .arg(writerKey(key, first.getString("instance")))
                .arg(Math.max(0, System.currentTimeMillis() - retentionMillis))
                .arg(retentionMillis)
                .arg(firstSeq)
                .arg(lastSeq);
        records.forEach(append::arg);
        int acks = 0;
        io.vertx.mutiny.redis.client.Response appended;
        try {
            if (replicaAcks == 0) {
                appended = redis.send(append).await().atMost(timeout);
            } else {
                // One batch, so WAIT goes on the connection that ran the script (the cluster client sends a batch to
                // the master of its keys' slot; the keyless WAIT follows).
                Request wait = Request.cmd(Command.WAIT).arg(replicaAcks).arg(Math.max(1, timeout.toMillis() / 2));
                List<io.vertx.mutiny.redis.client.Response> replies =
                        redis.batch(List.of(append, wait)).await().atMost(timeout);
                appended = replies.get(0);
                acks = replies.get(1).toInteger();
            }
        } catch (RuntimeException e) {
            String code = scriptErrorCode(e);
            if (code != null && NOT_RUN.contains(code)) {
                throw new IOException("the audit stream refused the batch: " + code);
            }
            throw new OutcomeUnknownException("the audit stream's answer is unknown: "
                    + (code != null ? code : rootCause(e).getClass().getSimpleName()));
        }
        long before = appended.get(1).toLong();
        if (before < firstSeq - 1) {
            // Records this writer was told are in the stream are not: the gap is in the trail for good, say so now.
            LOG.errorf(
                    "Audit stream %s: writer %s's last seq there is %d, its batch begins at %d: records confirmed"
                            + " written are missing (a failover without replica-acks, or the last-seq key expired or"
                            + " was deleted)",
                    key, first.getString("instance"), before, firstSeq);
        }
        if (acks < replicaAcks) {
            // On the primary, not yet on enough replicas: a failover now would lose it. Sent again, it is skipped
            // while the primary holds it and added again where a failover lost it.
            throw new OutcomeUnknownException("the audit batch reached " + acks + " of " + replicaAcks + " replica(s)");
        }
    }

    /**
     * The code of the script's Redis error reply in {@code failure}'s causes ({@code WRONGTYPE}, ...), or null. A
     * failed batch reports each failed command behind its index ({@code ERR [0] WRONGTYPE ...}): only the script's
     * (index 0) says whether it ran; the client's own failures read the same way ({@code CONNECTION_CLOSED}).
     */
    private static String scriptErrorCode(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Response reply && reply.type() == ResponseType.ERROR) {
                String message = t.getMessage() == null ? "" : t.getMessage().strip();
                if (message.startsWith("ERR [")) {
                    if (!message.startsWith("ERR [0] ")) {
                        return null; // the script answered; WAIT failed
                    }
                    message = message.substring("ERR [0] ".length());
                }
                int end = message.indexOf(' ');
                return end < 0 ? message : message.substring(0, end);
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public String name() {
        return "redis-stream";
    }
}
