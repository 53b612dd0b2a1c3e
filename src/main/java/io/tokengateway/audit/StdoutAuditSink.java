package io.tokengateway.audit;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;

/**
 * Records on the process's standard output, straight to file descriptor 1: no logger, level, handler or
 * filter is in the way. The batch arrives as one byte array and goes out in one {@code write} call under
 * {@code System.out}'s lock (so nothing printed through {@code System.out} lands inside it), which is then held
 * for that one write only, not for a loop of pieces and flushes: console logging waits at most one write.
 *
 * <p>What stays shared: a log record longer than the log handler's 8 KB buffer reaches {@code System.out} in
 * several writes, each taking the lock on its own, so a batch can land between them (inside that log line, never
 * inside a record); and the kernel writes more than a pipe's 4 KB atomically only while the pipe has room.
 * Where that matters, log to stderr or use the file sink (docs/audit.md, "Sinks").
 */
final class StdoutAuditSink implements AuditSink {

    private final FileOutputStream out;

    StdoutAuditSink() {
        this(new FileOutputStream(FileDescriptor.out));
    }

    /** For tests: the same sink over another stream. */
    StdoutAuditSink(FileOutputStream out) {
        this.out = out;
    }

    @Override
    public void write(byte[] lines) throws IOException {
        synchronized (System.out) {
            System.out.flush(); // what was printed before goes before the batch, not into it
            out.write(lines);
        }
    }

    @Override
    public String name() {
        return "stdout";
    }
}
