package io.tokengateway.audit;

import java.io.IOException;

/**
 * Where sealed audit records go. Called only by the writer thread, once per batch: every line of the
 * batch, each ending in a newline, written and flushed before it returns. A sink that cannot write all of
 * it throws, and the records count as not written.
 */
public interface AuditSink extends AutoCloseable {

    void write(byte[] lines) throws IOException;

    /** Short name for readiness data and log messages. */
    String name();

    @Override
    default void close() {}
}
