package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.tokengateway.audit.verify.VerifyAuditCommand;
import io.tokengateway.testing.PackagedGateway;
import io.tokengateway.testing.Tokens;
import io.vertx.core.json.JsonObject;

/**
 * An auditor verifies the trail of two running replicas (checkpoint interval 1 s) while traffic flows: the sink
 * files are exported and verified with {@code --redis --allow-unsigned-tail} fifty times in a row. A replica
 * regularly signs a checkpoint (in its trail and in Redis) between the export and the verifier's read of Redis;
 * that is never reported as a break. The same export cut before a checkpoint Redis holds and that was signed more
 * than one interval before the export (that checkpoint and the records it covers removed) is reported truncated
 * every time.
 */
class AuditRunningTrailIT {

    static final int ROUNDS = 50;

    @Test
    void aRunningTrailIsNeverFalselyBrokenAndARealCutAlwaysIs() throws Exception {
        Path dir = Path.of("target", "it-logs", "audit-running");
        AuditReplicasIT.deleteRecursively(dir);
        Files.createDirectories(dir.resolve("export"));
        try (PackagedGateway a = PackagedGateway.start("audit-running-a", sink(dir.resolve("a")));
                PackagedGateway b = a.startReplica("audit-running-b", sink(dir.resolve("b")))) {
            AtomicBoolean flowing = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> traffic(a, b, flowing, answered));
            try {
                awaitCheckpointsOlderThan(dir.resolve("a").resolve("audit.log"), Duration.ofSeconds(7));
                awaitCheckpointsOlderThan(dir.resolve("b").resolve("audit.log"), Duration.ofSeconds(7));
                List<String> falseBreaks = new ArrayList<>();
                List<String> missedCuts = new ArrayList<>();
                int notYetExported = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    Path exportA = dir.resolve("export").resolve("a-" + round + ".log");
                    Path exportB = dir.resolve("export").resolve("b-" + round + ".log");
                    Files.copy(dir.resolve("a").resolve("audit.log"), exportA);
                    Files.copy(dir.resolve("b").resolve("audit.log"), exportB);
                    if (round % 2 == 1) {
                        // The race under test, made certain: a checkpoint beyond the export reaches Redis first.
                        awaitCheckpointInRedisBeyond(a, exportA);
                    }
                    // The command's own code in this JVM: fifty launches of the packaged verifier would take
                    // minutes on a loaded machine; the packaged command is run once at the end.
                    PackagedGateway.Verdict verdict = verify(args(a, exportA, exportB));
                    if (verdict.exitCode() != 0) {
                        falseBreaks.add(verdict.output());
                    }
                    if (round % 2 == 1 && !verdict.output().contains("not yet exported")) {
                        falseBreaks.add("no 'not yet exported' note:\n" + verdict.output());
                    }
                    notYetExported += verdict.output().contains("not yet exported") ? 1 : 0;

                    Path cut = cutBeforeAnOldCheckpoint(
                            exportA, dir.resolve("export").resolve("a-" + round + "-cut.log"));
                    PackagedGateway.Verdict truncated = verify(args(a, cut, exportB));
                    if (truncated.exitCode() != 1 || !truncated.output().contains("truncated")) {
                        missedCuts.add(truncated.output());
                    }
                }
                assertEquals(List.of(), falseBreaks, "an untampered running trail was reported broken");
                assertEquals(List.of(), missedCuts, "a trail cut before an old checkpoint was not reported");
                // The race the rule is for did happen (a checkpoint signed between export and the read of Redis).
                assertTrue(notYetExported > 0, "no round saw a checkpoint signed after its export");
                assertTrue(answered.get() > ROUNDS, "traffic flowed: " + answered.get());

                // The packaged command says the same.
                Path exportA = dir.resolve("export").resolve("a-final.log");
                Files.copy(dir.resolve("a").resolve("audit.log"), exportA);
                Path cut =
                        cutBeforeAnOldCheckpoint(exportA, dir.resolve("export").resolve("a-final-cut.log"));
                PackagedGateway.Verdict packaged = PackagedGateway.verifyAudit(args(a, cut));
                assertEquals(1, packaged.exitCode(), packaged.output());
                assertTrue(packaged.output().contains("truncated"), packaged.output());
            } finally {
                flowing.set(false);
                traffic.join();
            }
        }
    }

    static PackagedGateway.Verdict verify(List<String> args) {
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8);
        int exit = VerifyAuditCommand.run(args, out, out);
        return new PackagedGateway.Verdict(exit, printed.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    static Map<String, String> sink(Path dir) {
        Map<String, String> config = new HashMap<>(AuditReplicasIT.fileSink(dir));
        config.put("gateway.audit.file.max-size", "100M"); // the auditor copies one file per replica
        return config;
    }

    static List<String> args(PackagedGateway gateway, Path... files) {
        List<String> args = new ArrayList<>(List.of(
                "--public-key",
                PackagedGateway.auditPublicKey(),
                "--redis",
                gateway.redis().url(),
                "--allow-unsigned-tail",
                "--checkpoint-interval",
                // more than the gateways' 1 s: the margin also covers a writer stalled between signing a checkpoint and
                // writing its line, which on this loaded 2-core machine has exceeded two seconds
                "5s"));
        // The auditor says when the export was made (the files' own times are not trusted): when it was copied.
        Instant exported = Instant.EPOCH;
        for (Path file : files) {
            args.add(file.toString());
            try {
                Instant copied = Files.getLastModifiedTime(file).toInstant();
                exported = copied.isAfter(exported) ? copied : exported;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        args.addAll(List.of("--exported-at", exported.toString()));
        return args;
    }

    /**
     * The export without its records from the first checkpoint signed more than six seconds (the margin, 5 s, and one more) before the export
     * was made, back to the checkpoint before it: that checkpoint and the records it covers are gone, and the copy
     * keeps the export's time (the cut was made at the source, before the export).
     */
    static Path cutBeforeAnOldCheckpoint(Path export, Path cut) throws Exception {
        Instant exported = Files.getLastModifiedTime(export).toInstant();
        List<String> lines = Files.readAllLines(export);
        int lastOld =
                -1; // the newest checkpoint signed more than three seconds (the margin, 2 s, and one more) before the
        // export
        for (int i = 0; i < lines.size(); i++) {
            JsonObject record = new JsonObject(lines.get(i));
            if ("checkpoint".equals(record.getString("type"))
                    && Instant.parse(record.getString("time")).isBefore(exported.minusSeconds(6))) {
                lastOld = i;
            }
        }
        // Removed: that checkpoint, the records it covers (back to the checkpoint before it) and all after it.
        int before = -1;
        for (int i = lastOld - 1; i >= 0; i--) {
            if ("checkpoint".equals(new JsonObject(lines.get(i)).getString("type"))) {
                before = i;
                break;
            }
        }
        assertTrue(lastOld > 0 && before > 0, "the export holds an old checkpoint: " + export);
        Files.write(cut, lines.subList(0, before + 1));
        Files.setLastModifiedTime(cut, FileTime.from(exported));
        return cut;
    }

    static void awaitCheckpointInRedisBeyond(PackagedGateway gateway, Path export) throws Exception {
        List<String> lines = Files.readAllLines(export);
        JsonObject last = new JsonObject(lines.get(lines.size() - 1));
        String key = "tg:audit:checkpoint:{" + last.getString("instance") + "}";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Object beyond = io.tokengateway.testing.Resp.call(
                    gateway.redis().port(), "ZRANGEBYSCORE", key, "(" + last.getLong("seq"), "+inf", "LIMIT", "0", "1");
            if (beyond instanceof List<?> found && !found.isEmpty()) {
                return;
            }
            Thread.sleep(50); // polling Redis for an observable condition, bounded by the deadline
        }
        throw new AssertionError("no checkpoint beyond seq " + last.getLong("seq") + " reached Redis");
    }

    static void awaitCheckpointsOlderThan(Path file, Duration age) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                int old = 0;
                for (String line : Files.readAllLines(file)) {
                    if (line.endsWith("}")) {
                        JsonObject record = new JsonObject(line);
                        if ("checkpoint".equals(record.getString("type"))
                                && Instant.parse(record.getString("time"))
                                        .isBefore(Instant.now().minus(age))) {
                            old++;
                        }
                    }
                }
                if (old >= 3) {
                    return;
                }
            }
            Thread.sleep(200); // polling the trail file for an observable condition, bounded by the deadline
        }
        throw new AssertionError("no checkpoint older than " + age + " in " + file);
    }

    static void traffic(PackagedGateway a, PackagedGateway b, AtomicBoolean flowing, AtomicInteger answered) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        String bearer = Tokens.forCaller("orders-team");
        Semaphore inFlight = new Semaphore(4);
        int i = 0;
        long next = System.nanoTime();
        while (flowing.get()) {
            // About 50 requests a second: steady traffic, and a trail that stays one file for the whole run.
            next += Duration.ofMillis(20).toNanos();
            java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            PackagedGateway target = i % 2 == 0 ? a : b;
            client.sendAsync(
                            AuditReplicasIT.request(target, bearer, "running-" + i, i + 1),
                            HttpResponse.BodyHandlers.discarding())
                    .whenComplete((answer, failure) -> {
                        answered.incrementAndGet();
                        inFlight.release();
                    });
            i++;
        }
    }
}
