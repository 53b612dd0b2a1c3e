package io.tokengateway.audit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import io.quarkus.redis.datasource.RedisDataSource;
import io.tokengateway.audit.verify.AuditChainVerifier;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;

/**
 * What the {@code @QuarkusTest}s of a file sink that stops being writable share: their profile's settings, a
 * request, making the trail file unwritable and writable again, and this instance's chain read back from both
 * sides of the outage and checked against its checkpoints in Redis.
 */
abstract class FileSinkOutage {

    @Inject
    SandboxServer sandbox;

    @Inject
    AuditService service;

    @Inject
    RedisDataSource redis;

    private final Path file;

    FileSinkOutage(Path file) {
        this.file = file;
    }

    /** The test profile's overrides: the sink writes {@code file} and tries a failed batch again every 100 ms. */
    static Map<String, String> settings(Path file, String onFailure) {
        return Map.of(
                "gateway.audit.file.path",
                file.toString(),
                "gateway.audit.retry-interval",
                "100ms",
                "gateway.audit.on-failure",
                onFailure);
    }

    /** A read as {@code orders-team} for {@code main-shop}: its status. */
    static int read(String correlationId) {
        return Calls.as("orders-team", "main-shop")
                .header("X-Correlation-Id", correlationId)
                .get(Calls.READ_TOKEN, "kct-sink-outage")
                .statusCode();
    }

    /** The trail written before the outage, kept beside the file: the chain's first records are in it. */
    Path before() {
        return file.resolveSibling("audit.log.before-failure");
    }

    /** From now on the file's path names a directory, which no record can be appended to. */
    void makeUnwritable() throws IOException {
        Files.move(file, before(), StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectory(file);
    }

    /** The path can be written again: the writer's next try creates the file. */
    void makeWritable() throws IOException {
        Files.delete(file);
    }

    /** Once a checkpoint is written and stored: this instance's records from before the outage and after it. */
    List<AuditChainVerifier.Line> ourTrail() throws IOException {
        assertTrue(service.checkpointNow(Duration.ofSeconds(10)), "checkpoint written and stored");
        String instance = service.instance();
        return Stream.concat(AuditChainVerifier.read(before()).stream(), AuditChainVerifier.read(file).stream())
                .filter(line -> line.text().contains("\"instance\":\"" + instance + "\""))
                .toList();
    }

    /** {@code ours} verified with this instance's key against its checkpoints in Redis. */
    AuditChainVerifier.Report verify(List<AuditChainVerifier.Line> ours) {
        String instance = service.instance();
        List<String> stored = redis.sortedSet(String.class).zrange(RedisCheckpoints.key(instance), 0, -1);
        return AuditChainVerifier.verify(ours, service.publicKey(), Map.of(instance, stored), false);
    }
}
