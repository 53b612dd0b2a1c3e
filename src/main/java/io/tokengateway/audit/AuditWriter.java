package io.tokengateway.audit;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.vertx.core.json.JsonObject;

/**
 * The one writer of an instance's audit trail. Callers hand it built, masked records; its own thread
 * seals them into the chain in the order they arrived and writes whatever is queued as one batch: one
 * write and one flush to the sink (group commit). A caller's future completes only once its record is
 * flushed, or fails when the batch could not be written.
 *
 * <p>The first batch starts the chain with a {@code start} record (instance, version, start time, the
 * public key's fingerprint) and a checkpoint. Then, every checkpoint interval in which records were
 * written, and when closed, the writer adds a signed {@code checkpoint} record (see {@link AuditSigner})
 * and hands it to the {@link Listener} (which also stores it in Redis).
 *
 * <p>When a batch fails, the chain is wound back to where it stood, the writer reports itself unhealthy
 * and, every retry interval, tries again with a checkpoint (a probe that is worth writing anyway). The
 * first batch that succeeds begins with a {@code loss} record: how many records were not written and
 * since when, so the gap is admitted in the signed chain rather than hidden or left as a break.
 *
 * <p>A batch whose outcome the sink cannot tell ({@link AuditSink.OutcomeUnknownException}) may already be in
 * the sink: its callers fail like any others, but the chain is not wound back. The writer keeps the batch and
 * sends that very text again before anything else; the sink adds only what it does not hold, so the batch ends
 * up in the trail exactly once, and the chain goes on after it. Until it is through, nothing new is sent: each
 * batch meanwhile fails unsent and is admitted in the {@code loss} record.
 */
public final class AuditWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AuditWriter.class);
    private static final int MAX_BATCH = 4096;

    /** Told about what the writer did; called on the writer thread, so it must not block. */
    public interface Listener {
        void written(int records);

        void failed(int records, Exception cause);

        void checkpoint(String instance, long seq, String sealedLine);
    }

    /** A queued record or checkpoint request; {@code queuedNanos} is when it was accepted ({@link System#nanoTime()}). */
    private record Entry(String type, JsonObject fields, CompletableFuture<Void> done, long queuedNanos) {}

    private static final Entry STOP = new Entry("stop", null, null, 0);

    private final AuditChain chain;
    private final AuditSink sink;
    private final AuditSigner signer;
    private final JsonObject startFields;
    private final Clock clock;
    private final long checkpointNanos;
    private final long retryNanos;
    private final Listener listener;
    private final BlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean healthy = true;
    private volatile boolean closed;
    private volatile boolean firstWritten; // the start record reached the sink
    // When the oldest entry of the batch the writer holds was accepted; NONE while it holds none.
    private static final long NONE = Long.MIN_VALUE;
    private volatile long batchSince = NONE;

    // Writer-thread state.
    private boolean started;
    private String lastSignature = "";
    private long lastCheckpointSeq;
    private long nextDueNanos;
    private long lostRecords;
    private String lostSince;
    private String lostCause;
    private InDoubt inDoubt; // the batch whose outcome the sink could not tell, until it is known to be in the sink

    /** A sent batch that may or may not be in the sink, and the checkpoint it carries (null line: none). */
    private record InDoubt(byte[] text, int records, long checkpointSeq, String checkpointLine) {}

    /**
     * @param startFields what the {@code start} record says besides seq, instance and type (version, key
     *                    fingerprint, ...): the writer adds the time.
     */
    public AuditWriter(
            AuditChain chain,
            AuditSink sink,
            AuditSigner signer,
            JsonObject startFields,
            Clock clock,
            Duration checkpointInterval,
            Duration retryInterval,
            Listener listener) {
        this.chain = chain;
        this.sink = sink;
        this.signer = signer;
        this.startFields = startFields.copy();
        this.clock = clock;
        this.checkpointNanos = checkpointInterval.toNanos();
        this.retryNanos = retryInterval.toNanos();
        this.listener = listener;
        this.nextDueNanos = System.nanoTime(); // the start record and first checkpoint go out at once
        this.thread = new Thread(this::run, "audit-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public String instance() {
        return chain.instance();
    }

    /** Whether the last batch was written: false from a failed batch until one succeeds again. */
    public boolean healthy() {
        return healthy;
    }

    /**
     * Whether the trail is open for records: the start record reached the sink and the writer is not closed.
     * Before, a request's record would wait for a sink that has not proved it works; after, it would fail.
     */
    public boolean open() {
        return firstWritten && !closed;
    }

    /** Whether the writer was closed (shutdown): no record will be written any more. */
    public boolean closed() {
        return closed;
    }

    /**
     * How long the oldest record accepted but not yet written (or failed) has waited: zero when none waits.
     * It grows while a sink blocks, which neither a failed batch nor the record counters show.
     */
    public Duration oldestPending() {
        long now = System.nanoTime();
        long since = batchSince;
        if (since == NONE) {
            Entry head = queue.peek();
            since = head == null || head == STOP ? NONE : head.queuedNanos();
        }
        return since == NONE ? Duration.ZERO : Duration.ofNanos(Math.max(0, now - since));
    }

    /** Queues a request record; completes once it is flushed to the sink, fails if it could not be written. */
    public CompletableFuture<Void> append(JsonObject fields) {
        return enqueue("request", fields);
    }

    /** Queues a record of another kind ({@code policy}); completes once it is flushed. */
    public CompletableFuture<Void> append(String type, JsonObject fields) {
        return enqueue(type, fields);
    }

    /** Writes a checkpoint now (with whatever is queued before it); completes once it is flushed. */
    public CompletableFuture<Void> checkpoint() {
        return enqueue("checkpoint", null);
    }

    private CompletableFuture<Void> enqueue(String type, JsonObject fields) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new IllegalStateException("the audit writer is closed"));
            return done;
        }
        queue.add(new Entry(type, fields, done, System.nanoTime()));
        if (closed && !thread.isAlive()) {
            failRemaining();
        }
        return done;
    }

    /** Writes what is queued and a final checkpoint, then stops the thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failRemaining();
        sink.close();
    }

    private void failRemaining() {
        List<Entry> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.stream().filter(e -> e.done() != null).forEach(e -> e.done()
                .completeExceptionally(new IllegalStateException("the audit writer is closed")));
    }

    private void run() {
        List<Entry> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                Entry first = queue.poll(Math.max(0, nextDueNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (first != null) {
                    batchSince = first == STOP ? NONE : first.queuedNanos(); // the queue is FIFO: the oldest
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                }
            } catch (InterruptedException e) {
                stopping = true;
            }
            boolean forced = false;
            for (Entry entry : batch) {
                stopping |= entry == STOP;
                forced |= entry.fields() == null;
            }
            boolean due = System.nanoTime() - nextDueNanos >= 0;
            if (batch.isEmpty() && !due) {
                continue;
            }
            try {
                writeBatch(batch, forced || due || stopping, stopping);
            } catch (Throwable e) { // NOPMD: the one thread that writes the trail must not die silently
                // A bug, never a sink failure (those are caught inside): fail the batch, keep the writer alive.
                LOG.errorf("Audit writer failed on a batch: %s", e.getClass().getName());
                batch.stream().filter(x -> x.done() != null).forEach(x -> x.done()
                        .completeExceptionally(e));
            }
            batch.clear();
            batchSince = NONE;
        }
        if (inDoubt != null) {
            resolveInDoubt(); // the last batch's outcome was unknown: one more try, so the trail ends where it says
        }
    }

    /** A sealed checkpoint record and its signature. */
    public record Checkpoint(String line, String signature) {}

    /** Signs the chain's head (and the previous checkpoint's signature) and seals the checkpoint record into the chain. */
    public static Checkpoint sealCheckpoint(
            AuditChain chain, AuditSigner signer, String previousSignature, String time, boolean last) {
        long headSeq = chain.sequence();
        String headHash = chain.head();
        String signature =
                signer.sign(AuditSigner.payload(chain.instance(), headSeq, headHash, previousSignature, time, last));
        JsonObject fields = new JsonObject()
                .put("time", time)
                .put("head_seq", headSeq)
                .put("head_hash", headHash)
                .put("prev_signature", previousSignature);
        if (last) {
            fields.put("final", true);
        }
        return new Checkpoint(chain.seal("checkpoint", fields.put("signature", signature)), signature);
    }

    private void writeBatch(List<Entry> batch, boolean checkpointWanted, boolean last) {
        String now = clock.instant().toString();
        if (inDoubt != null) {
            Exception unresolved = resolveInDoubt();
            if (unresolved != null) {
                // Nothing of this batch was sealed or sent: its records are lost like a failed batch's.
                failed(batch, countRecords(batch), unresolved, now, true);
                return;
            }
        }
        AuditChain.State mark = chain.state();
        StringBuilder text = new StringBuilder(256 * (batch.size() + 2));
        if (!started) {
            text.append(chain.seal("start", startFields.copy().put("time", now)))
                    .append('\n');
        }
        if (lostRecords > 0) {
            text.append(chain.seal(
                            "loss",
                            new JsonObject()
                                    .put("time", now)
                                    .put("lost_records", lostRecords)
                                    .put("since", lostSince)
                                    .put("cause", lostCause)))
                    .append('\n');
        }
        int records = 0;
        for (Entry entry : batch) {
            if (entry.fields() != null) {
                text.append(chain.seal(entry.type(), entry.fields())).append('\n');
                records++;
            }
        }
        boolean checkpoint = checkpointWanted
                && (!started
                        || !healthy
                        || last
                        || chain.sequence() > lastCheckpointSeq
                        || batch.stream().anyMatch(e -> e != STOP && e.fields() == null));
        String checkpointLine = null;
        String signature = null;
        if (checkpoint) {
            Checkpoint sealed = sealCheckpoint(chain, signer, lastSignature, now, last);
            signature = sealed.signature();
            checkpointLine = sealed.line();
            text.append(checkpointLine).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        try {
            if (bytes.length > 0) {
                sink.write(bytes);
            }
        } catch (AuditSink.OutcomeUnknownException e) {
            // Perhaps in the sink: the chain stays past it (a record sealed again under the same seq would be a
            // duplicate), and the batch, its loss record included, is sent again as it is.
            inDoubt = new InDoubt(bytes, records, checkpoint ? chain.sequence() : 0, checkpointLine);
            started = true;
            lostRecords = 0;
            if (checkpoint) {
                lastSignature = signature;
                lastCheckpointSeq = chain.sequence();
            }
            failed(batch, records, e, now, false);
            return;
        } catch (Exception e) {
            chain.reset(mark);
            failed(batch, records, e, now, true);
            return;
        }
        if (!healthy && lostRecords > 0) {
            LOG.infof(
                    "Audit sink %s writes again; %d record(s) were lost and are admitted in the trail",
                    sink.name(), lostRecords);
        } else if (!healthy) {
            LOG.infof("Audit sink %s writes again; no record was lost", sink.name());
        }
        healthy = true;
        started = true;
        firstWritten = true;
        lostRecords = 0;
        if (checkpoint) {
            lastSignature = signature;
            lastCheckpointSeq = chain.sequence();
            nextDueNanos = System.nanoTime() + checkpointNanos;
            listener.checkpoint(chain.instance(), lastCheckpointSeq, checkpointLine);
        } else if (System.nanoTime() - nextDueNanos >= 0) {
            nextDueNanos = System.nanoTime() + checkpointNanos;
        }
        listener.written(records);
        batch.stream().filter(x -> x.done() != null).forEach(x -> x.done().complete(null));
    }

    private static int countRecords(List<Entry> batch) {
        return (int) batch.stream().filter(e -> e.fields() != null).count();
    }

    /** The batch failed (or was not sent): its callers fail, and, if {@code lost}, its records are admitted lost. */
    private void failed(List<Entry> batch, int records, Exception e, String now, boolean lost) {
        if (healthy) {
            LOG.errorf(
                    "Audit sink %s failed (%s): no record is written until it works again",
                    sink.name(), e.getClass().getSimpleName());
        }
        healthy = false;
        if (lost) {
            if (lostRecords == 0) {
                lostSince = now;
            }
            lostRecords += records;
            lostCause = e.getClass().getSimpleName();
        }
        nextDueNanos = System.nanoTime() + retryNanos;
        listener.failed(lost ? records : 0, e);
        batch.stream().filter(x -> x.done() != null).forEach(x -> x.done().completeExceptionally(e));
    }

    /**
     * Sends the batch whose outcome was unknown again, as it was; the sink adds none of it that it holds already.
     * Returns null once it is in the sink, else why it still is not known to be.
     */
    private Exception resolveInDoubt() {
        try {
            sink.write(inDoubt.text());
        } catch (Exception e) {
            return e;
        }
        LOG.infof(
                "Audit sink %s: the batch whose outcome was unknown (%d record(s)) is in the trail once",
                sink.name(), inDoubt.records());
        firstWritten = true; // the start record was in that batch or an earlier one
        listener.written(inDoubt.records());
        if (inDoubt.checkpointLine() != null) {
            listener.checkpoint(chain.instance(), inDoubt.checkpointSeq(), inDoubt.checkpointLine());
        }
        inDoubt = null;
        return null;
    }
}
