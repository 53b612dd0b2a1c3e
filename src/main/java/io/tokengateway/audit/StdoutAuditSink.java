package io.tokengateway.audit;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;

/**
 * Records on the process's standard output, straight to file descriptor 1: no logger, level, handler or
 * filter is in the way. Whole lines only: the batch is written while holding {@code System.out}'s lock (so
 * nothing printed through {@code System.out} lands inside it) in pieces of at most {@value #PIPE_BUF}
 * bytes cut at line ends, because the kernel writes that much to a pipe (a container's stdout) atomically.
 */
final class StdoutAuditSink implements AuditSink {

    static final int PIPE_BUF = 4096;

    private final FileOutputStream out = new FileOutputStream(FileDescriptor.out);

    @Override
    public void write(byte[] lines) throws IOException {
        synchronized (System.out) {
            System.out.flush();
            int from = 0;
            while (from < lines.length) {
                int to = cut(lines, from);
                out.write(lines, from, to - from);
                from = to;
            }
            out.flush();
        }
    }

    /** End of the longest run of whole lines from {@code from} that fits in PIPE_BUF, or of one longer line. */
    static int cut(byte[] lines, int from) {
        int limit = Math.min(lines.length, from + PIPE_BUF);
        int lastEnd = -1;
        for (int i = from; i < limit; i++) {
            if (lines[i] == '\n') {
                lastEnd = i + 1;
            }
        }
        if (lastEnd > 0) {
            return lastEnd;
        }
        for (int i = limit; i < lines.length; i++) {
            if (lines[i] == '\n') {
                return i + 1;
            }
        }
        return lines.length;
    }

    @Override
    public String name() {
        return "stdout";
    }
}
