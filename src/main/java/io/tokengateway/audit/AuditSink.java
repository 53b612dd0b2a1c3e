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

    /**
     * Thrown by a sink that cannot tell whether the batch was written (the reply timed out, the connection was
     * lost after the batch was sent): it may already be in the sink. Only a sink that takes the very same batch
     * again without adding what it already holds may throw it; the writer then sends that batch again before
     * anything else, so it ends up in the sink exactly once.
     */
    final class OutcomeUnknownException extends IOException {

        private static final long serialVersionUID = 1L;

        public OutcomeUnknownException(String message) {
            super(message);
        }
    }
}
