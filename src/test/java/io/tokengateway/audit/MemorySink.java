package io.tokengateway.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.tokengateway.audit.verify.AuditChainVerifier;

/** A sink in memory for writer tests: keeps every line, counts batches, can fail or hold a batch on request. */
public final class MemorySink implements AuditSink {

    public final List<String> lines = new CopyOnWriteArrayList<>();
    final AtomicInteger batches = new AtomicInteger();
    volatile boolean failing;
    volatile CountDownLatch hold;
    /** Counted down when a batch arrives at a held sink. */
    final CountDownLatch entered = new CountDownLatch(1);

    @Override
    public void write(byte[] batch) throws IOException {
        CountDownLatch gate = hold;
        if (gate != null) {
            entered.countDown();
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failing) {
            throw new IOException("disk full");
        }
        String text = new String(batch, StandardCharsets.UTF_8);
        if (!text.endsWith("\n")) {
            throw new AssertionError("a batch that does not end with a whole line");
        }
        lines.addAll(Arrays.asList(text.split("\n")));
        batches.incrementAndGet();
    }

    @Override
    public String name() {
        return "memory";
    }

    public List<AuditChainVerifier.Line> asTrail() {
        List<AuditChainVerifier.Line> trail = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            trail.add(new AuditChainVerifier.Line("memory", i + 1, lines.get(i)));
        }
        return trail;
    }
}
