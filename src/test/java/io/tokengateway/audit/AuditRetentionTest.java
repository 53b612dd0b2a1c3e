package io.tokengateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokengateway.audit.verify.VerifyAuditCommand;
import io.tokengateway.testing.InjectRedisServer;
import io.tokengateway.testing.RedisServer;
import io.vertx.core.json.JsonObject;

/**
 * {@code gateway.audit.retention} on a running lifetime: with every checkpoint stored, those in Redis signed longer
 * ago than the retention are removed from its set, recent ones stay, and the trail still verifies against Redis
 * (with {@code --since} for the lifetimes of earlier test applications, which are not in this trail).
 */
@QuarkusTest
@TestProfile(AuditRetentionTest.ShortRetention.class)
class AuditRetentionTest {

    static final Path FILE = Path.of("target", "test-logs", "audit-retention", "audit.log");

    public static class ShortRetention implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.audit.file.path", FILE.toString(),
                    "gateway.audit.retention", "3s",
                    "gateway.audit.checkpoint-interval", "1s");
        }
    }

    @Inject
    AuditService service;

    @Inject
    RedisDataSource redis;

    @InjectRedisServer
    RedisServer redisServer;

    List<JsonObject> inRedis() {
        return redis.sortedSet(String.class).zrange(RedisCheckpoints.key(service.instance()), 0, -1).stream()
                .map(JsonObject::new)
                .toList();
    }

    @Test
    void checkpointsOlderThanTheRetentionAreTrimmedRecentOnesKeptAndTheTrailStillVerifies() throws IOException {
        assertTrue(service.checkpointNow(Duration.ofSeconds(10)));
        long first = inRedis().get(0).getLong("seq");
        List<Long> made = new ArrayList<>();
        // Checkpoint after checkpoint until the first is older than the retention and trimmed with a later store.
        Awaitility.await("the first checkpoint trimmed from Redis")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    assertTrue(service.checkpointNow(Duration.ofSeconds(10)));
                    List<JsonObject> stored = inRedis();
                    made.add(stored.get(stored.size() - 1).getLong("seq"));
                    return stored.stream().noneMatch(c -> c.getLong("seq") == first);
                });
        List<JsonObject> stored = inRedis();
        Instant newest = Instant.parse(stored.get(stored.size() - 1).getString("time"));
        for (JsonObject checkpoint : stored) {
            assertFalse(
                    Instant.parse(checkpoint.getString("time")).isBefore(newest.minusSeconds(3 + 2)),
                    () -> "kept past the retention: " + checkpoint.encode());
        }
        // The recent ones stay: the last two made are both there.
        List<Long> seqs = stored.stream().map(c -> c.getLong("seq")).toList();
        assertTrue(made.size() >= 2, "checkpoints made: " + made);
        assertTrue(seqs.containsAll(made.subList(made.size() - 2, made.size())), seqs + " lacks " + made);
        assertTrue(seqs.get(0) > first, "trimmed from the oldest on: " + seqs);

        // The whole lifetime's trail (from its start record) against the trimmed set: intact. --since: the lifetimes
        // of test applications that ran before this one are not in this trail.
        // (The file may hold earlier runs' lifetimes too: the export is this lifetime's lines.)
        List<String> lines = Files.readAllLines(FILE, StandardCharsets.UTF_8).stream()
                .filter(l ->
                        l.startsWith("{\"seq\"") && service.instance().equals(new JsonObject(l).getString("instance")))
                .toList();
        Path export = FILE.resolveSibling("export.log");
        Files.write(export, lines, StandardCharsets.UTF_8);
        JsonObject start = new JsonObject(lines.get(0));
        assertEquals("start", start.getString("type"));
        assertEquals(1000, start.getLong("checkpoint_interval_ms"), "the lifetime names its checkpoint interval");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(printed, true, StandardCharsets.UTF_8);
        int status = VerifyAuditCommand.run(
                List.of(
                        "--public-key",
                        AuditKeys.toBase64(service.publicKey()),
                        "--redis",
                        "redis://127.0.0.1:" + redisServer.port(),
                        "--since",
                        start.getString("time"),
                        export.toString()),
                stream,
                stream);
        String output = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, output);
        assertTrue(output.contains("intact"), output);
    }
}
