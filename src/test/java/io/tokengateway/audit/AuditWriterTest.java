package io.tokengateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.tokengateway.audit.verify.AuditChainVerifier;
import io.vertx.core.json.JsonObject;

/** The writer: seq order under concurrency, group commit, completion after flush, checkpoints, failure and recovery. */
class AuditWriterTest {

    static List<JsonObject> records(MemorySink sink) {
        return sink.lines.stream().map(JsonObject::new).toList();
    }

    @Test
    void concurrentRecordsAreChainedInSeqOrderAndEachCompletesOnlyOnceFlushed() throws Exception {
        try (Trails.Running run = new Trails.Running("i-order")) {
            ExecutorService callers = Executors.newFixedThreadPool(8);
            List<CompletableFuture<Boolean>> seenAtCompletion = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                String id = "c-" + i;
                CompletableFuture<Boolean> seen = new CompletableFuture<>();
                seenAtCompletion.add(seen);
                callers.execute(() -> run.append(id)
                        .whenComplete((ok, failure) -> seen.complete(failure == null
                                && run.sink.lines.stream()
                                        .anyMatch(l -> l.contains("\"correlation_id\":\"" + id + "\"")))));
            }
            for (CompletableFuture<Boolean> seen : seenAtCompletion) {
                assertTrue(seen.get(20, TimeUnit.SECONDS), "a record completed before it was in the sink");
            }
            callers.shutdown();
            run.checkpoint();

            List<JsonObject> written = records(run.sink);
            for (int i = 0; i < written.size(); i++) {
                assertEquals(i + 1, written.get(i).getLong("seq"), "the sink holds the records in seq order");
            }
            Map<String, Long> perId = written.stream()
                    .filter(r -> "request".equals(r.getString("type")))
                    .collect(Collectors.groupingBy(r -> r.getString("correlation_id"), Collectors.counting()));
            assertEquals(2000, perId.size());
            assertTrue(perId.values().stream().allMatch(n -> n == 1));
            assertEquals("start", written.get(0).getString("type"));
            assertEquals(
                    List.of(),
                    AuditChainVerifier.verify(run.sink.asTrail(), Trails.KEYS.getPublic(), run.checkpoints, false)
                            .breaks());
        }
    }

    @Test
    void whateverIsQueuedGoesOutInOneWrite() throws InterruptedException {
        MemorySink held = null;
        try (Trails.Running run = new Trails.Running("i-group")) {
            held = run.sink;
            run.checkpoint(); // start record and first checkpoint out of the way
            int before = run.sink.batches.get();
            CountDownLatch gate = new CountDownLatch(1);
            run.sink.hold = gate;
            CompletableFuture<Void> first = run.append("first"); // the writer takes it and waits in the sink
            assertTrue(
                    run.sink.entered.await(10, TimeUnit.SECONDS),
                    "the writer holds the first record's batch in the sink");
            List<CompletableFuture<Void>> queued = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                queued.add(run.append("queued-" + i));
            }
            run.sink.hold = null;
            gate.countDown();
            first.join();
            CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).join();
            assertEquals(
                    before + 2,
                    run.sink.batches.get(),
                    "the first record's batch, then all 500 queued meanwhile in one");
        }
        assertTrue(held.lines.size() > 500);
    }

    @Test
    void aFailedBatchFailsItsRecordsAndTheRecoveryAdmitsTheLoss() {
        try (Trails.Running run = new Trails.Running("i-fail")) {
            run.append("before").join();
            run.sink.failing = true;
            CompletableFuture<Void> lost = run.append("lost-1");
            CompletionException failure =
                    org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, lost::join);
            assertTrue(failure.getCause() instanceof java.io.IOException);
            assertFalse(run.writer.healthy());
            assertThrows(run.append("lost-2"));

            run.sink.failing = false;
            // The writer probes on its own every retry interval; no request is needed to recover.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(run.writer::healthy);
            run.append("after").join();
            run.checkpoint();

            List<JsonObject> written = records(run.sink);
            assertTrue(written.stream().noneMatch(r -> String.valueOf(r.getString("correlation_id"))
                    .startsWith("lost")));
            JsonObject loss = written.stream()
                    .filter(r -> "loss".equals(r.getString("type")))
                    .findFirst()
                    .orElseThrow();
            assertEquals(2, loss.getLong("lost_records"));
            assertEquals("IOException", loss.getString("cause"));
            AuditChainVerifier.Report report =
                    AuditChainVerifier.verify(run.sink.asTrail(), Trails.KEYS.getPublic(), run.checkpoints, false);
            assertEquals(List.of(), report.breaks(), "the chain continues over the outage");
            assertTrue(
                    report.notes().stream().anyMatch(n -> n.contains("admits 2 record(s) not written")),
                    report.notes()::toString);
        }
    }

    private static void assertThrows(CompletableFuture<Void> future) {
        org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, future::join);
    }

    @Test
    void checkpointsAreSignedEveryIntervalAndAtClose() {
        Trails.Running run = new Trails.Running("i-interval", Duration.ofMillis(100));
        run.checkpoint(); // the start record and its checkpoint are out
        run.append("one").join();
        long one = records(run.sink).stream()
                .filter(r -> "one".equals(r.getString("correlation_id")))
                .findFirst()
                .orElseThrow()
                .getLong("seq");
        // No one asks for it: the interval alone brings the checkpoint that signs "one".
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> lastType(run).equals("checkpoint")
                        && new JsonObject(run.sink.lines.get(run.sink.lines.size() - 1)).getLong("head_seq") == one);
        run.append("two").join();
        run.close();
        List<JsonObject> written = records(run.sink);
        JsonObject last = written.get(written.size() - 1);
        assertEquals("checkpoint", last.getString("type"));
        assertTrue(last.getBoolean("final"));
        assertEquals(last.getString("head_hash"), last.getString("prev"));
        // The last record written is "two"; only checkpoints follow it (the interval may bring one before the close).
        List<JsonObject> requests = written.stream()
                .filter(r -> !"checkpoint".equals(r.getString("type")))
                .toList();
        assertEquals("two", requests.get(requests.size() - 1).getString("correlation_id"));
        List<String> stored = run.checkpoints.get("i-interval");
        assertEquals(
                last.encode(),
                new JsonObject(stored.get(stored.size() - 1)).encode(),
                "every checkpoint is handed on for Redis");
        assertTrue(stored.size() >= 3, "at start, after the interval, at close");
        assertEquals(
                List.of(),
                AuditChainVerifier.verify(run.sink.asTrail(), Trails.KEYS.getPublic(), run.checkpoints, false)
                        .breaks());
        // Idle: no checkpoint without new records, however many intervals pass (the close added the last).
        assertTrue(run.writer.append(Trails.record("late")).isCompletedExceptionally(), "closed writers take nothing");
    }

    private static String lastType(Trails.Running run) {
        List<String> lines = run.sink.lines;
        return lines.isEmpty() ? "" : new JsonObject(lines.get(lines.size() - 1)).getString("type");
    }

    @Test
    void closeWritesWhatIsQueuedBeforeTheFinalCheckpoint() {
        Trails.Running run = new Trails.Running("i-close");
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            pending.add(run.append("q-" + i));
        }
        run.close();
        pending.forEach(CompletableFuture::join);
        List<JsonObject> written = records(run.sink);
        assertEquals(
                100,
                written.stream()
                        .filter(r -> "request".equals(r.getString("type")))
                        .count());
        assertTrue(written.get(written.size() - 1).getBoolean("final", false));
    }

    @Test
    void theOldestPendingAgeGrowsWhileTheSinkBlocksAndFallsToZeroAfter() throws InterruptedException {
        try (Trails.Running run = new Trails.Running("i-pending")) {
            run.checkpoint(); // start record and first checkpoint out of the way
            // The writer lets go of the written batch just after completing it: nothing waits from then on.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> run.writer.oldestPending().isZero());
            CountDownLatch gate = new CountDownLatch(1);
            run.sink.hold = gate;
            CompletableFuture<Void> held = run.append("held");
            assertTrue(run.sink.entered.await(10, TimeUnit.SECONDS), "the writer is inside the blocked sink");
            CompletableFuture<Void> queued = run.append("queued");
            Duration first = run.writer.oldestPending();
            // It keeps growing while the sink blocks: the age of the held record, not of the one queued after it.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> run.writer.oldestPending().compareTo(first.plusMillis(200)) > 0);
            assertFalse(held.isDone());
            assertFalse(queued.isDone());

            run.sink.hold = null;
            gate.countDown();
            held.join();
            queued.join();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> run.writer.oldestPending().isZero());
            assertEquals(
                    2,
                    run.sink.lines.stream()
                            .filter(l -> l.contains("\"held\"") || l.contains("\"queued\""))
                            .count());
        }
    }
}
