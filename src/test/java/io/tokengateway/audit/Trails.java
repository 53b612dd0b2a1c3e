package io.tokengateway.audit;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;

/** Builds real trails with the real writer, chain and signer, for the verifier and writer tests and the benchmark. */
public final class Trails {

    public static final KeyPair KEYS = AuditKeys.generate();

    /**
     * A real writer: chain {@code instance}, signed with {@code keys} (its start record names the key), a failed
     * batch tried again every 50 ms.
     */
    public static AuditWriter writer(
            String instance, AuditSink sink, KeyPair keys, Duration checkpointInterval, AuditWriter.Listener listener) {
        return new AuditWriter(
                new AuditChain(instance),
                sink,
                new AuditSigner(keys.getPrivate()),
                new JsonObject().put("version", "test").put("key_fingerprint", AuditKeys.fingerprint(keys.getPublic())),
                Clock.systemUTC(),
                checkpointInterval,
                Duration.ofMillis(50),
                listener);
    }

    /** Keeps what a writer reports: each instance's sealed checkpoints in order, and why batches failed. */
    public static final class Recorder implements AuditWriter.Listener {
        public final Map<String, List<String>> checkpoints = new ConcurrentHashMap<>();
        public final List<Exception> failures = new CopyOnWriteArrayList<>();

        @Override
        public void written(int records) {}

        @Override
        public void failed(int records, Exception cause) {
            failures.add(cause);
        }

        @Override
        public void checkpoint(String id, long seq, String sealedLine) {
            checkpoints.computeIfAbsent(id, i -> new CopyOnWriteArrayList<>()).add(sealedLine);
        }
    }

    /** A running writer over a memory sink; checkpoints only when asked (and at close). */
    public static final class Running implements AutoCloseable {
        public final MemorySink sink = new MemorySink();
        private final Recorder recorder = new Recorder();
        public final Map<String, List<String>> checkpoints = recorder.checkpoints;
        final List<Exception> failures = recorder.failures;
        final AuditWriter writer;

        Running(String instance, Duration checkpointInterval) {
            this(instance, checkpointInterval, KEYS);
        }

        Running(String instance, Duration checkpointInterval, KeyPair keys) {
            writer = writer(instance, sink, keys, checkpointInterval, recorder);
        }

        Running(String instance) {
            this(instance, Duration.ofHours(1));
        }

        CompletableFuture<Void> append(String correlationId) {
            return writer.append(record(correlationId));
        }

        void appendAll(int count, String prefix) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                all.add(append(prefix + i));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .orTimeout(10, TimeUnit.SECONDS)
                    .join();
        }

        void checkpoint() {
            writer.checkpoint().orTimeout(10, TimeUnit.SECONDS).join();
        }

        @Override
        public void close() {
            writer.close();
        }
    }

    public static JsonObject record(String correlationId) {
        return new JsonObject()
                .put("time", "2026-01-01T00:00:00Z")
                .put("correlation_id", correlationId)
                .put("decision", "allowed")
                .put("status", 200);
    }

    /**
     * A finished lifetime: start, checkpoint, then {@code perCheckpoint} records and a checkpoint, {@code rounds}
     * times, then the final checkpoint at close. Lines and the checkpoints Redis would hold.
     */
    public static Running finished(String instance, int rounds, int perCheckpoint) {
        return finished(instance, rounds, perCheckpoint, KEYS);
    }

    public static Running finished(String instance, int rounds, int perCheckpoint, KeyPair keys) {
        Running run = new Running(instance, Duration.ofHours(1), keys);
        for (int r = 0; r < rounds; r++) {
            run.appendAll(perCheckpoint, instance + "-r" + r + "-");
            run.checkpoint();
        }
        run.close();
        return run;
    }

    private Trails() {}
}
