package io.tokengateway.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Records added to a Redis Stream, one entry (field {@code record}) per record, in {@code seq} order: one
 * {@code MULTI}/{@code XADD}.../{@code EXEC} per batch, so a batch is added whole or not at all. Entries
 * older than the retention period are trimmed ({@code MINID}); the retention is longer than the checkpoint
 * interval, so nothing after an instance's last checkpoint is ever trimmed.
 *
 * <p>Runs on the writer thread, which may wait for Redis: it is not an event-loop thread, and waiting is
 * what makes the caller's answer follow its record.
 */
final class RedisStreamAuditSink implements AuditSink {

    private final Redis redis;
    private final String key;
    private final long retentionMillis;
    private final Duration timeout;

    RedisStreamAuditSink(Redis redis, String key, Duration retention, Duration timeout) {
        this.redis = redis;
        this.key = key;
        this.retentionMillis = retention.toMillis();
        this.timeout = timeout;
    }

    @Override
    public void write(byte[] lines) throws IOException {
        String minId = Long.toString(Math.max(0, System.currentTimeMillis() - retentionMillis));
        List<Request> commands = new ArrayList<>();
        commands.add(Request.cmd(Command.MULTI));
        for (String line : new String(lines, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                commands.add(Request.cmd(Command.XADD)
                        .arg(key)
                        .arg("MINID")
                        .arg("~")
                        .arg(minId)
                        .arg("*")
                        .arg("record")
                        .arg(line));
            }
        }
        commands.add(Request.cmd(Command.EXEC));
        List<Response> replies;
        try {
            replies = redis.batch(commands).await().atMost(timeout);
        } catch (RuntimeException e) {
            throw new IOException(
                    "the audit stream could not be written: " + e.getClass().getSimpleName());
        }
        Response exec = replies.get(replies.size() - 1);
        if (exec == null || exec.size() != commands.size() - 2) {
            throw new IOException("the audit stream transaction was not applied");
        }
    }

    @Override
    public String name() {
        return "redis-stream";
    }
}
