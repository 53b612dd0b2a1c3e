package io.tokengateway.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vertx.redis.client.impl.types.ErrorType;

/** How the client's error replies are read: a batch's and a closed connection's included, as a failover produces them. */
class RedisErrorCodeTest {

    @Test
    void aFailedBatchIsReadByItsCommandsCodeNotItsIndex() {
        assertEquals(
                "NOSCRIPT",
                RedisFailures.errorCode(ErrorType.create("ERR [0] NOSCRIPT No matching script. Please use EVAL.")));
        assertEquals("CONNECTION_CLOSED", RedisFailures.errorCode(ErrorType.create("[1] CONNECTION_CLOSED")));
        assertEquals(
                "WRONGTYPE",
                RedisFailures.errorCode(
                        ErrorType.create("WRONGTYPE Operation against a key holding the wrong kind of value")));
    }

    @Test
    void aCommandCutOffByItsConnectionClosingIsAnOutageNotAFault() {
        assertTrue(RedisFailures.isOutage(RedisFailures.errorCode(ErrorType.create("CONNECTION_CLOSED"))));
        assertTrue(RedisFailures.isOutage(null));
        // A batch written to a connection that had just closed: no reply, only the exception's name.
        assertTrue(RedisFailures.isOutage(
                RedisFailures.errorCode(ErrorType.create("ERR [0] io.netty.channel.StacklessClosedChannelException"))));
        assertTrue(RedisFailures.isOutage(
                RedisFailures.errorCode(ErrorType.create("ERR [1] java.net.SocketException: Connection reset"))));
        // what the client writes for a command that was never sent: the index, then the exception, no space
        assertTrue(RedisFailures.isOutage(RedisFailures.errorCode(
                ErrorType.create("ERR [0]io.vertx.core.impl.NoStackTraceThrowable: Connection is closed"))));
        assertFalse(RedisFailures.isOutage(RedisFailures.errorCode(ErrorType.create(
                "ERR [0] ERR user_script:1: Script attempted to access nonexistent global variable"))));
        // Every failed command of a batch on its own line (claim script and WAIT, cut off by a failover):
        // seen as a 500 in SentinelFailoverIT before the class name's end was recognised at a line break.
        String sep = System.lineSeparator();
        assertTrue(RedisFailures.isOutage(
                RedisFailures.errorCode(ErrorType.create("ERR [0] io.netty.channel.StacklessClosedChannelException"
                        + sep + "ERR [1] io.netty.channel.StacklessClosedChannelException"))));
        assertTrue(RedisFailures.isOutage(RedisFailures.errorCode(ErrorType.create(
                "ERR [0] java.net.SocketException: Connection reset" + sep + "ERR [1] java.net.SocketException"))));
        assertFalse(RedisFailures.isOutage(RedisFailures.errorCode(
                ErrorType.create("ERR [0] WRONGTYPE Operation against a key holding the wrong kind of value" + sep
                        + "ERR [1] io.netty.channel.StacklessClosedChannelException"))));
        // Both commands of the round's batch cut off with their connection, one line each (a failover).
        assertEquals(
                "CONNECTION_CLOSED",
                RedisFailures.errorCode(
                        ErrorType.create("ERR [0] CONNECTION_CLOSED" + sep + "ERR [1] CONNECTION_CLOSED")));
        assertTrue(RedisFailures.isOutage("READONLY"));
        assertFalse(RedisFailures.isOutage("WRONGTYPE"));
        assertFalse(RedisFailures.isOutage("ERR"));
    }

    @Test
    void aRefusedCredentialIsRecognisedWhereverTheClientPutsIt() {
        assertEquals(
                "WRONGPASS",
                RedisFailures.credentialRefusal(
                        ErrorType.create("WRONGPASS invalid username-password pair or user is disabled.")));
        assertEquals("NOAUTH", RedisFailures.credentialRefusal(ErrorType.create("NOAUTH Authentication required.")));
        // Redis before 6 said it under ERR; a batch puts its index first; a handshake failure may be wrapped
        assertEquals("WRONGPASS", RedisFailures.credentialRefusal(ErrorType.create("ERR invalid password")));
        assertEquals(
                "NOAUTH", RedisFailures.credentialRefusal(ErrorType.create("ERR [0] NOAUTH Authentication required.")));
        assertEquals(
                "WRONGPASS",
                RedisFailures.credentialRefusal(new IllegalStateException(
                        "connect failed", ErrorType.create("WRONGPASS invalid username-password pair"))));
        assertEquals(null, RedisFailures.credentialRefusal(ErrorType.create("WRONGTYPE Operation against a key")));
        assertEquals(null, RedisFailures.credentialRefusal(new java.net.ConnectException("Connection refused")));
    }

    @Test
    void aPassingStateWrappedInAnotherErrorIsAnOutageAndAnythingElseAFault() {
        RedisFailures failures = new RedisFailures(
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                new RedisAvailability(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
        // A write a script made on a node a failover had just demoted, and Redis out of memory inside a script.
        assertTrue(
                failures.classify(
                                "round.lua",
                                ErrorType.create(
                                        "ERR user_script:12: -READONLY You can't write against a read only replica."))
                        instanceof RedisUnavailableException);
        assertTrue(
                failures.classify("round.lua", ErrorType.create("ERR Error running script: OOM command not allowed"))
                        instanceof RedisUnavailableException);
        assertTrue(
                failures.classify("round.lua", ErrorType.create("ERR max number of clients reached"))
                        instanceof RedisUnavailableException);
        // A script error that merely contains the letters of a state is still a fault.
        assertTrue(
                failures.classify(
                                "round.lua", ErrorType.create("ERR user_script:3: attempt to compare nil with BOOMING"))
                        instanceof RedisFaultException);
        assertTrue(
                failures.classify(
                                "round.lua",
                                ErrorType.create("WRONGTYPE Operation against a key holding the wrong kind of value"))
                        instanceof RedisFaultException);
    }

    @Test
    void aFailureVertxMadeFromAMessageIsNoAnswerButAProgrammingErrorIsAFault() {
        RedisFailures failures = new RedisFailures(
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                new RedisAvailability(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
        // Future.failedFuture("Connection is closed") fails with a bare Throwable.
        assertTrue(io.vertx.core.Future.failedFuture("Connection is closed").cause() != null);
        assertTrue(
                failures.classify(
                                "round.lua",
                                io.vertx.core.Future.failedFuture("Connection is closed")
                                        .cause())
                        instanceof RedisUnavailableException);
        assertTrue(failures.classify("round.lua", new NullPointerException()) instanceof RedisFaultException);
    }
}
