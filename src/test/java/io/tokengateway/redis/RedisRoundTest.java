package io.tokengateway.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.vertx.core.buffer.Buffer;

/**
 * Rounds on a real Redis: a part that says no ends its round, each part sees only its own keys and arguments,
 * the settlement round answers each participant, and a round survives Redis forgetting its script. That a
 * request makes one round trip before the upstream call and one after is tested through the gateway in
 * {@code LimitsTest}.
 */
@QuarkusTest
class RedisRoundTest {

    private static final ScriptPart PUSH = ScriptPart.load("io/tokengateway/redis/push.lua");

    @Inject
    RedisScripts scripts;

    @Inject
    RedisDataSource redisData;

    /** A participant pushing {@code value} on its own list, in both rounds; {@code stop} ends the admission round. */
    static final class Pusher implements RoundParticipant {
        final String list = "tg:test:{round}:" + UUID.randomUUID();
        final String value;
        final boolean stop;
        final List<RoundReply> settled = new ArrayList<>();

        Pusher(String value, boolean stop) {
            this.value = value;
            this.stop = stop;
        }

        @Override
        public List<ScriptPart> scriptParts() {
            return List.of(PUSH);
        }

        @Override
        public Optional<ScriptCall> admission(Exchange exchange) {
            return Optional.of(new ScriptCall(PUSH, List.of(list), List.of(value, stop ? "stop" : "go on")));
        }

        @Override
        public Optional<ScriptCall> settlement(Exchange exchange, GatewayResponse response) {
            return Optional.of(new ScriptCall(PUSH, List.of(list), List.of(value + " settled", "go on")));
        }

        @Override
        public void settled(Exchange exchange, RoundReply reply) {
            settled.add(reply);
        }
    }

    private static Exchange exchange() {
        return ExchangeBuilder.readToken()
                .merchant(ExchangeBuilder.merchant("main-shop"))
                .build();
    }

    private List<String> list(Pusher pusher) {
        return redisData.list(String.class).lrange(pusher.list, 0, -1);
    }

    @Test
    void eachPartRunsOnItsOwnKeysAndArgumentsAndAPartThatSaysNoEndsTheRound() {
        Pusher first = new Pusher("a", false);
        Pusher second = new Pusher("b", true);
        Pusher third = new Pusher("c", false);
        RedisRound round = new RedisRound(scripts, List.of(first, second, third));
        Exchange exchange = exchange();
        round.onRequest(exchange).await().indefinitely();

        Round admission = exchange.require(Round.ADMISSION);
        assertEquals(1, ((RoundReply.Replied) admission.reply(PUSH)).reply().toInteger());
        assertEquals(List.of("a"), list(first));
        assertEquals(List.of("b"), list(second));
        assertEquals(List.of(), list(third), "the part after the one that said no did not run");
    }

    @Test
    void theSettlementRoundRunsEveryPartAndTellsEachParticipantItsOwnReply() {
        Pusher first = new Pusher("a", false);
        Pusher second = new Pusher("b", false);
        RedisRound round = new RedisRound(scripts, List.of(first, second));
        Exchange exchange = exchange();
        round.onRequest(exchange).await().indefinitely();
        GatewayResponse response = new GatewayResponse(200, Map.of(), Buffer.buffer("ok"));
        assertEquals(response, round.onResponse(exchange, response).await().indefinitely());

        assertEquals(List.of("a", "a settled"), list(first));
        assertEquals(List.of("b", "b settled"), list(second));
        assertEquals(2, ((RoundReply.Replied) first.settled.get(0)).reply().toInteger());
        assertEquals(2, ((RoundReply.Replied) second.settled.get(0)).reply().toInteger());
    }

    @Test
    void aRoundStillRunsAfterRedisForgotItsScripts() {
        Pusher pusher = new Pusher("a", false);
        RedisRound round = new RedisRound(scripts, List.of(pusher));
        round.onRequest(exchange()).await().indefinitely();
        redisData.execute("SCRIPT", "FLUSH"); // as after a restart or a failover to a fresh replica
        Exchange exchange = exchange();
        round.onRequest(exchange).await().indefinitely();
        assertInstanceOf(
                RoundReply.Replied.class, exchange.require(Round.ADMISSION).reply(PUSH));
        assertEquals(List.of("a", "a"), list(pusher));
    }
}
