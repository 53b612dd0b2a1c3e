package io.tokengateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokengateway.audit.verify.AuditChainVerifier;
import io.tokengateway.testing.LogCapture;
import io.tokengateway.testing.RedisServer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;

/**
 * The Redis Stream sink when a batch's outcome is unknown: the reply to its script does not arrive in time, so
 * the writer cannot tell whether the batch is in the stream. Whether it landed after all or never ran, it ends up
 * in the stream exactly once and the chain verifies. Real Redis ({@code CLIENT PAUSE WRITE} holds the script
 * past the sink's timeout), real Vert.x client, real writer.
 */
class RedisStreamAuditSinkTest {

    static final String STREAM = "tg:audit:sink-test";
    static final Duration TIMEOUT = Duration.ofMillis(500);

    RedisServer server;
    Vertx vertx;
    Redis client;
    RedisStreamAuditSink sink;
    AuditWriter writer;
    final Map<String, List<String>> checkpoints = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        server = RedisServer.onFreePort();
        server.start();
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, server.url());
        sink = new RedisStreamAuditSink(client, STREAM, Duration.ofHours(1), TIMEOUT, 0);
        writer = new AuditWriter(
                new AuditChain("i-doubt"),
                sink,
                new AuditSigner(Trails.KEYS.getPrivate()),
                new JsonObject()
                        .put("version", "test")
                        .put("key_fingerprint", AuditKeys.fingerprint(Trails.KEYS.getPublic())),
                Clock.systemUTC(),
                Duration.ofHours(1),
                Duration.ofMillis(50),
                new AuditWriter.Listener() {
                    @Override
                    public void written(int records) {}

                    @Override
                    public void failed(int records, Exception cause) {}

                    @Override
                    public void checkpoint(String id, long seq, String sealedLine) {
                        checkpoints
                                .computeIfAbsent(id, i -> new CopyOnWriteArrayList<>())
                                .add(sealedLine);
                    }
                });
        // Written, and no batch in doubt (a cold first call may outlast the timeout and be sent again).
        Awaitility.await("the start record written, the last batch too")
                .atMost(Duration.ofSeconds(10))
                .until(() -> writer.open() && writer.healthy());
    }

    @AfterEach
    void stop() {
        writer.close();
        client.close();
        vertx.closeAndAwait();
        server.stop();
    }

    @Test
    void aBatchThatLandedAfterItsReplyTimedOutIsNotWrittenAgain() throws Exception {
        server.call("CLIENT", "PAUSE", "3000", "WRITE"); // the script waits; reads go on
        CompletableFuture<Void> paused = writer.append(Trails.record("paused"));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> paused.get(10, TimeUnit.SECONDS));
        assertInstanceOf(AuditSink.OutcomeUnknownException.class, failure.getCause());
        assertFalse(writer.healthy());
        // The pause ends and the script runs: the batch is in the stream though its caller was told it failed.
        // Meanwhile the writer kept sending it again (each attempt also held by the pause).
        Awaitility.await("the held batch lands")
                .atMost(Duration.ofSeconds(10))
                .until(() -> count(stream(), "paused") > 0);

        writer.append(Trails.record("after")).get(10, TimeUnit.SECONDS);
        assertTrue(writer.healthy());
        writer.close();

        List<String> records = stream();
        assertEquals(1, count(records, "paused"), "the batch whose outcome was unknown is in the stream once");
        assertEquals(1, count(records, "after"));
        assertVerifies(records);
    }

    @Test
    void aBatchThatNeverRanIsWrittenWhenSentAgain() throws Exception {
        server.call("CLIENT", "PAUSE", "10000", "WRITE");
        CompletableFuture<Void> dropped = writer.append(Trails.record("dropped"));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> dropped.get(10, TimeUnit.SECONDS));
        assertInstanceOf(AuditSink.OutcomeUnknownException.class, failure.getCause());
        // The sink's connection is closed while its script waits: that script never runs.
        server.call("CLIENT", "KILL", "TYPE", "normal");
        assertEquals(0, count(stream(), "dropped"));
        server.call("CLIENT", "UNPAUSE");

        writer.append(Trails.record("after")).get(10, TimeUnit.SECONDS);
        writer.close();

        List<String> records = stream();
        assertEquals(1, count(records, "dropped"), "sent again, the batch is in the stream once");
        assertEquals(1, count(records, "after"));
        assertVerifies(records);
    }

    @Test
    void aLastSeqSetPastTheWritersChainFailsTheBatchInsteadOfDroppingItSilently() throws Exception {
        // Anyone who may write the stream's keys (another pod's user) sets this writer's last seq far ahead.
        server.call("SET", RedisStreamAuditSink.writerKey(STREAM, "i-doubt"), "1000000");
        CompletableFuture<Void> next = writer.append(Trails.record("skipped"));
        // Told written while the script skipped it would be a record lost without a loss record.
        assertThrows(ExecutionException.class, () -> next.get(10, TimeUnit.SECONDS), "the record is not in the stream");
        assertEquals(0, count(stream(), "skipped"));
        assertFalse(writer.healthy());
    }

    @Test
    void aWritersLastSeqBehindItsBatchIsReportedAsAGapAtOnce() throws Exception {
        // As a failover without replica-acks leaves it: the last batch the old primary confirmed is not in the new
        // one, so the writer's last seq there is behind the batch it sends next.
        server.call("SET", RedisStreamAuditSink.writerKey(STREAM, "i-doubt"), "1");
        try (LogCapture log = LogCapture.open()) {
            writer.append(Trails.record("after-gap")).get(10, TimeUnit.SECONDS);
            assertTrue(
                    log.lines().stream()
                            .anyMatch(
                                    l -> l.startsWith("ERROR") && l.contains("records confirmed written are missing")),
                    "the gap is reported when it is found, not first by a verifier: " + log.all());
        }
        assertEquals(1, count(stream(), "after-gap"));
    }

    @Test
    void theShippedGatewayUserMayWriteTheDefaultStreamAndItsWritersLastSeq() throws Exception {
        // The central gateway's user as k8s/redis/acl/users.acl.template defines it (its keys: tg:*).
        String line =
                java.nio.file.Files.readAllLines(java.nio.file.Path.of("k8s/redis/acl/users.acl.template")).stream()
                        .filter(l -> l.startsWith("user default "))
                        .findFirst()
                        .orElseThrow();
        List<String> acl = new ArrayList<>(List.of("ACL", "SETUSER", "gw", "on", ">gw-password"));
        for (String rule : line.split(" ")) {
            if (rule.startsWith("~") || rule.startsWith("+") || rule.startsWith("-") || rule.equals("resetchannels")) {
                acl.add(rule);
            }
        }
        server.call(acl.toArray(String[]::new));
        Redis asGateway = Redis.createClient(vertx, server.url().replace("redis://", "redis://gw:gw-password@"));
        try {
            RedisStreamAuditSink defaultKey =
                    new RedisStreamAuditSink(asGateway, "tg:audit", Duration.ofHours(1), Duration.ofSeconds(5), 0);
            AuditChain chain = new AuditChain("acl-writer");
            defaultKey.write((chain.seal("request", Trails.record("acl")) + "\n").getBytes(StandardCharsets.UTF_8));
            assertEquals(1L, server.call("XLEN", "tg:audit"));
        } finally {
            asGateway.close();
        }
    }

    @Test
    void theWritersLastSeqSharesTheStreamsHashSlot() {
        // Behind the stream's name (an ACL pattern for the name and what follows covers both), in its slot.
        assertEquals("tg:audit:writer:{tg:audit}:i", RedisStreamAuditSink.writerKey("tg:audit", "i"));
        assertEquals("tg:audit:{checkout}:writer:i", RedisStreamAuditSink.writerKey("tg:audit:{checkout}", "i"));
        assertThrows(IllegalStateException.class, () -> RedisStreamAuditSink.writerKey("a{b", "i"));
        assertThrows(IllegalStateException.class, () -> RedisStreamAuditSink.writerKey("a{}b}", "i"));
        assertThrows(IllegalStateException.class, () -> RedisStreamAuditSink.writerKey("a}b", "i"));
    }

    /** Every record of the stream once, seq 1, 2, ... in order, and the chain and its checkpoints verify. */
    private void assertVerifies(List<String> records) {
        List<AuditChainVerifier.Line> lines = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            assertEquals(i + 1, new JsonObject(records.get(i)).getLong("seq"), "seq " + (i + 1));
            lines.add(new AuditChainVerifier.Line(STREAM, i + 1, records.get(i)));
        }
        AuditChainVerifier.Report report =
                AuditChainVerifier.verify(lines, Trails.KEYS.getPublic(), checkpoints, false);
        assertEquals(List.of(), report.breaks());
        assertTrue(records.stream().noneMatch(r -> r.contains("\"type\":\"loss\"")), "nothing was lost");
    }

    @SuppressWarnings("unchecked")
    private List<String> stream() {
        List<String> records = new ArrayList<>();
        for (Object entry : (List<Object>) server.call("XRANGE", STREAM, "-", "+")) {
            List<Object> fields = (List<Object>) ((List<Object>) entry).get(1);
            records.add((String) fields.get(1));
        }
        return records;
    }

    private static long count(List<String> records, String correlationId) {
        return records.stream()
                .filter(r -> r.contains("\"correlation_id\":\"" + correlationId + "\""))
                .count();
    }
}
