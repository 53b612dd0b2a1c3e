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
                RedisScripts.errorCode(ErrorType.create("ERR [0] NOSCRIPT No matching script. Please use EVAL.")));
        assertEquals("CONNECTION_CLOSED", RedisScripts.errorCode(ErrorType.create("[1] CONNECTION_CLOSED")));
        assertEquals(
                "WRONGTYPE",
                RedisScripts.errorCode(
                        ErrorType.create("WRONGTYPE Operation against a key holding the wrong kind of value")));
    }

    @Test
    void aCommandCutOffByItsConnectionClosingIsAnOutageNotAFault() {
        assertTrue(RedisScripts.isOutage(RedisScripts.errorCode(ErrorType.create("CONNECTION_CLOSED"))));
        assertTrue(RedisScripts.isOutage(null));
        // A batch written to a connection that had just closed: no reply, only the exception's name.
        assertTrue(RedisScripts.isOutage(
                RedisScripts.errorCode(ErrorType.create("ERR [0] io.netty.channel.StacklessClosedChannelException"))));
        assertTrue(RedisScripts.isOutage(
                RedisScripts.errorCode(ErrorType.create("ERR [1] java.net.SocketException: Connection reset"))));
        // what the client writes for a command that was never sent: the index, then the exception, no space
        assertTrue(RedisScripts.isOutage(RedisScripts.errorCode(
                ErrorType.create("ERR [0]io.vertx.core.impl.NoStackTraceThrowable: Connection is closed"))));
        assertFalse(RedisScripts.isOutage(RedisScripts.errorCode(ErrorType.create(
                "ERR [0] ERR user_script:1: Script attempted to access nonexistent global variable"))));
        // Every failed command of a batch on its own line (claim script and WAIT, cut off by a failover):
        // seen as a 500 in SentinelFailoverIT before the class name's end was recognised at a line break.
        String sep = System.lineSeparator();
        assertTrue(RedisScripts.isOutage(
                RedisScripts.errorCode(ErrorType.create("ERR [0] io.netty.channel.StacklessClosedChannelException" + sep
                        + "ERR [1] io.netty.channel.StacklessClosedChannelException"))));
        assertTrue(RedisScripts.isOutage(RedisScripts.errorCode(ErrorType.create(
                "ERR [0] java.net.SocketException: Connection reset" + sep + "ERR [1] java.net.SocketException"))));
        assertFalse(RedisScripts.isOutage(RedisScripts.errorCode(
                ErrorType.create("ERR [0] WRONGTYPE Operation against a key holding the wrong kind of value" + sep
                        + "ERR [1] io.netty.channel.StacklessClosedChannelException"))));
        // Both commands of the round's batch cut off with their connection, one line each (a failover).
        assertEquals(
                "CONNECTION_CLOSED",
                RedisScripts.errorCode(
                        ErrorType.create("ERR [0] CONNECTION_CLOSED" + sep + "ERR [1] CONNECTION_CLOSED")));
        assertTrue(RedisScripts.isOutage("READONLY"));
        assertFalse(RedisScripts.isOutage("WRONGTYPE"));
        assertFalse(RedisScripts.isOutage("ERR"));
    }

    @Test
    void aRefusedCredentialIsRecognisedWhereverTheClientPutsIt() {
        assertEquals(
                "WRONGPASS",
                RedisScripts.credentialRefusal(
                        ErrorType.create("WRONGPASS invalid username-password pair or user is disabled.")));
        assertEquals("NOAUTH", RedisScripts.credentialRefusal(ErrorType.create("NOAUTH Authentication required.")));
        // Redis before 6 said it under ERR; a batch puts its index first; a handshake failure may be wrapped
        assertEquals("WRONGPASS", RedisScripts.credentialRefusal(ErrorType.create("ERR invalid password")));
        assertEquals(
                "NOAUTH", RedisScripts.credentialRefusal(ErrorType.create("ERR [0] NOAUTH Authentication required.")));
        assertEquals(
                "WRONGPASS",
                RedisScripts.credentialRefusal(new IllegalStateException(
                        "connect failed", ErrorType.create("WRONGPASS invalid username-password pair"))));
        assertEquals(null, RedisScripts.credentialRefusal(ErrorType.create("WRONGTYPE Operation against a key")));
        assertEquals(null, RedisScripts.credentialRefusal(new java.net.ConnectException("Connection refused")));
    }
}
