package io.tokengateway.upstream;

import java.io.IOException;
import java.util.concurrent.CompletionException;

import jakarta.ws.rs.ProcessingException;

import io.vertx.core.http.GoAway;
import io.vertx.core.http.HttpClosedException;

/**
 * Turns a failed provider call back into what happened on the wire, so that {@link OutcomeClassifier} and
 * {@link RetryPolicy} judge it by its kind, not by how the client library wrapped it. The REST client wraps
 * I/O failures in {@link ProcessingException} (unwrapped here), and reports a connection that closed before
 * the answer was complete as a plain {@link IOException} that keeps only Vert.x's message: that one becomes
 * {@link ConnectionClosed}. Everything else (refused, unknown host, timeout, reset, malformed answer) keeps
 * its own type.
 */
final class ProviderFailures {

    /** Sent, then the connection closed before a complete answer came back. */
    static final class ConnectionClosed extends RuntimeException {
        ConnectionClosed() {
            super("the provider's connection closed before the answer was complete", null, false, false);
        }
    }

    /** Vert.x's message for a connection closed mid-call ("Connection was closed"). */
    private static final String CLOSED = new HttpClosedException((GoAway) null).getMessage();

    private ProviderFailures() {}

    static Throwable normalise(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ProcessingException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpClosedException
                || (cause.getClass() == IOException.class && CLOSED.equals(cause.getMessage()))) {
            return new ConnectionClosed();
        }
        return cause;
    }
}
