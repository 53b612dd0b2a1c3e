package io.tokengateway.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.VertxException;
import io.vertx.redis.client.impl.types.ErrorType;

/** What operators see of Redis failures: gateway_redis_up, gateway_redis_unavailable_total and the fault counter. */
class RedisFailuresTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RedisAvailability availability = new RedisAvailability(registry);
    private final RedisFailures failures = new RedisFailures(registry, availability);

    private double up() {
        return registry.get("gateway.redis.up").gauge().value();
    }

    private double unavailable() {
        return registry.get("gateway.redis.unavailable").counter().count();
    }

    private double faults(String script, String error) {
        var counter = registry.find("gateway.redis.faults")
                .tags("script", script, "error", error)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void redisIsReportedUpUntilARoundGetsNoAnswer() {
        assertEquals(1, up());
        assertInstanceOf(
                RedisUnavailableException.class, failures.failed("round.lua", new ConnectException("refused")));
        assertEquals(0, up());
        assertEquals(1, unavailable());
        failures.answered();
        assertEquals(1, up());
        assertEquals(1, unavailable());
    }

    @Test
    void aFaultIsAnAnswerCountedByScriptAndCodeNeverAnOutage() {
        failures.failed("round.lua", new ConnectException("refused"));
        assertInstanceOf(
                RedisFaultException.class,
                failures.failed("round.lua", ErrorType.create("WRONGTYPE Operation against a key")));
        assertEquals(1, up()); // Redis answered, with an error
        assertEquals(1, unavailable());
        assertEquals(1, faults("round.lua", "WRONGTYPE"));
        failures.failed("round.lua", new IllegalStateException("a bug"));
        assertEquals(1, faults("round.lua", "CLIENT"));
    }

    @Test
    void noAnswerOfAnyKindIsAnOutage() {
        for (Throwable failure : new Throwable[] {
            new IOException("reset"),
            new TimeoutException(),
            new io.smallrye.mutiny.TimeoutException(),
            new VertxException("pool closed"),
            new Throwable("Connection is closed"),
            ErrorType.create("ERR [0] io.netty.channel.StacklessClosedChannelException"),
            ErrorType.create("READONLY You can't write against a read only replica."),
            ErrorType.create("ERR WAIT cannot be used with replica instances.")
        }) {
            assertInstanceOf(
                    RedisUnavailableException.class, failures.classify("round.lua", failure), failure::toString);
        }
        assertEquals(0, registry.find("gateway.redis.faults").counters().size());
    }

    @Test
    void aRefusedCredentialIsAnOutageUntilRedisAnswersAgain() {
        assertInstanceOf(
                RedisUnavailableException.class,
                failures.failed("round.lua", ErrorType.create("WRONGPASS invalid username-password pair")));
        assertInstanceOf(
                RedisUnavailableException.class,
                failures.failed("round.lua", ErrorType.create("NOAUTH Authentication required.")));
        assertEquals(0, up());
        assertEquals(2, unavailable());
        failures.answered();
        assertEquals(1, up());
        assertEquals(0, registry.find("gateway.redis.faults").counters().size());
    }

    @Test
    void anErrorCodeIsOneOfAFixedSetOfShapesSoNoRequestDataBecomesALabel() {
        assertEquals("WRONGTYPE", RedisFailures.errorCode(ErrorType.create("wrongtype Operation")));
        assertEquals("ERR", RedisFailures.errorCode(ErrorType.create("merchant-42:key is wrong")));
        assertEquals("ERR", RedisFailures.errorCode(ErrorType.create("")));
        assertEquals("NOSCRIPT", RedisFailures.errorCode(ErrorType.create("ERR [12]NOSCRIPT No matching script")));
        assertNull(RedisFailures.errorCode(new IOException("WRONGTYPE")));
    }
}
