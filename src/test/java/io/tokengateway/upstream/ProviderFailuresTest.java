package io.tokengateway.upstream;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import jakarta.ws.rs.ProcessingException;

import org.junit.jupiter.api.Test;

import io.vertx.core.http.GoAway;
import io.vertx.core.http.HttpClosedException;

/** A failed provider call judged by what happened on the wire, not by how the client wrapped it. */
class ProviderFailuresTest {

    private static final String CLOSED = new HttpClosedException((GoAway) null).getMessage();

    @Test
    void aRefusedConnectionWrappedTwiceIsStillARefusedConnection() {
        ConnectException refused = new ConnectException("refused");
        assertSame(refused, ProviderFailures.normalise(new CompletionException(new ProcessingException(refused))));
        assertSame(refused, ProviderFailures.normalise(new ProcessingException(new CompletionException(refused))));
    }

    @Test
    void aWrapperWithNothingInsideIsKept() {
        ProcessingException empty = new ProcessingException("no cause");
        assertSame(empty, ProviderFailures.normalise(empty));
    }

    @Test
    void vertxsClosedConnectionIsConnectionClosed() {
        assertInstanceOf(
                ProviderFailures.ConnectionClosed.class,
                ProviderFailures.normalise(new ProcessingException(new HttpClosedException((GoAway) null))));
    }

    @Test
    void aPlainIoExceptionWithVertxsClosedMessageIsConnectionClosed() {
        assertInstanceOf(
                ProviderFailures.ConnectionClosed.class,
                ProviderFailures.normalise(new ProcessingException(new IOException(CLOSED))));
    }

    @Test
    void anyOtherIoFailureKeepsItsOwnType() {
        IOException reset = new IOException("Connection reset");
        assertSame(reset, ProviderFailures.normalise(reset));
        IOException subclassWithClosedMessage = new java.io.EOFException(CLOSED);
        assertSame(subclassWithClosedMessage, ProviderFailures.normalise(subclassWithClosedMessage));
    }
}
