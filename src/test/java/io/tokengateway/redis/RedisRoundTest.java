package io.tokengateway.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.tokengateway.flow.Admission;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.PartOutcome;
import io.tokengateway.flow.RoundParticipant;
import io.tokengateway.flow.ScriptCall;
import io.tokengateway.flow.ScriptPart;
import io.tokengateway.flow.ScriptReply;
import io.tokengateway.flow.Step;
import io.tokengateway.flow.StepResult;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.vertx.core.buffer.Buffer;

/**
 * Rounds on a real Redis: the round is placed before the first participant of a step list and runs the parts of
 * all of them, in step order; a part that says no ends its round, each part sees only its own keys and arguments,
 * the settlement round answers each participant, and a round survives Redis forgetting its script. That a
 * request makes one round trip before the upstream call and one after is tested through the gateway in
 * {@code LimitsTest}.
 */
@QuarkusTest
class RedisRoundTest {

    private static final ScriptPart PUSH = ScriptPart.load("io/tokengateway/redis/push.lua");
    private static final ScriptPart FAIL = ScriptPart.load("io/tokengateway/redis/fail.lua");

    @Inject
    RedisScripts scripts;

    @Inject
    RedisDataSource redisData;

    /** A participant whose step lets every request through: these tests are about its parts. */
    interface Participant extends RoundParticipant {
        @Override
        default String name() {
            return "test-participant";
        }

        @Override
        default Uni<StepResult> onRequest(Exchange exchange) {
            return StepResult.proceed();
        }
    }

    /** A step that keeps nothing in Redis. */
    record Plain(String name) implements Step {
        @Override
        public Uni<StepResult> onRequest(Exchange exchange) {
            return StepResult.proceed();
        }
    }

    /** A participant pushing {@code value} on its own list, in both rounds; {@code stop} ends the admission round. */
    static final class Pusher implements Participant {
        final String list = "tg:test:{round}:" + UUID.randomUUID();
        final ScriptPart part = new ScriptPart("push-" + UUID.randomUUID() + ".lua", PUSH.source());
        final String value;
        final boolean stop;
        final List<PartOutcome> settled = new ArrayList<>();

        Pusher(String value, boolean stop) {
            this.value = value;
            this.stop = stop;
        }

        @Override
        public List<ScriptPart> scriptParts() {
            return List.of(part);
        }

        @Override
        public Optional<ScriptCall> admission(Exchange exchange) {
            return Optional.of(new ScriptCall(part, List.of(list), List.of(value, stop ? "stop" : "go on")));
        }

        @Override
        public Optional<ScriptCall> settlement(Exchange exchange, GatewayResponse response) {
            return Optional.of(new ScriptCall(part, List.of(list), List.of(value + " settled", "go on")));
        }

        @Override
        public void settled(Exchange exchange, PartOutcome reply) {
            settled.add(reply);
        }
    }

    /** A participant whose part fails with WRONGTYPE in both rounds: its key holds a string, not a hash. */
    static final class Faulty implements Participant {
        final String key = "tg:test:{round}:" + UUID.randomUUID();
        final List<PartOutcome> settled = new ArrayList<>();

        @Override
        public List<ScriptPart> scriptParts() {
            return List.of(FAIL);
        }

        @Override
        public Optional<ScriptCall> admission(Exchange exchange) {
            return Optional.of(new ScriptCall(FAIL, List.of(key), List.of()));
        }

        @Override
        public Optional<ScriptCall> settlement(Exchange exchange, GatewayResponse response) {
            return admission(exchange);
        }

        @Override
        public void settled(Exchange exchange, PartOutcome reply) {
            settled.add(reply);
        }
    }

    /** A participant running one part, without arguments, on one key in the admission round only. */
    record OnePart(ScriptPart part, String key) implements Participant {
        @Override
        public List<ScriptPart> scriptParts() {
            return List.of(part);
        }

        @Override
        public Optional<ScriptCall> admission(Exchange exchange) {
            return Optional.of(new ScriptCall(part, List.of(key), List.of()));
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
    void theRoundIsPlacedBeforeTheFirstParticipantAndRunsThePartsOfAllInStepOrder() {
        Step checks = new Plain("checks");
        Step between = new Plain("between");
        Step last = new Plain("last");
        Pusher first = new Pusher("a", false);
        Pusher second = new Pusher("b", false);
        List<Step> steps = RedisRound.placedIn(List.of(checks, first, between, second, last), scripts);

        assertEquals(6, steps.size());
        assertEquals(List.of(checks, first, between, second, last), without(steps, 1));
        RedisRound round = assertInstanceOf(RedisRound.class, steps.get(1));
        Exchange exchange = exchange();
        round.onRequest(exchange).await().indefinitely();
        Admission admission = exchange.require(Admission.FACT);
        assertInstanceOf(PartOutcome.Replied.class, admission.outcome(first.part));
        assertInstanceOf(PartOutcome.Replied.class, admission.outcome(second.part));
        assertEquals(List.of("a"), list(first));
        assertEquals(List.of("b"), list(second));

        List<Step> none = List.of(checks, last);
        assertEquals(none, RedisRound.placedIn(none, scripts), "no participant, no round");
    }

    private static List<Step> without(List<Step> steps, int index) {
        List<Step> rest = new ArrayList<>(steps);
        rest.remove(index);
        return rest;
    }

    @Test
    void eachPartRunsOnItsOwnKeysAndArgumentsAndAPartThatSaysNoEndsTheRound() {
        Pusher first = new Pusher("a", false);
        Pusher second = new Pusher("b", true);
        Pusher third = new Pusher("c", false);
        RedisRound round = new RedisRound(scripts, List.of(first, second, third));
        Exchange exchange = exchange();
        round.onRequest(exchange).await().indefinitely();

        Admission admission = exchange.require(Admission.FACT);
        assertEquals(
                1, ((PartOutcome.Replied) admission.outcome(first.part)).reply().toInteger());
        assertEquals(
                1,
                ((PartOutcome.Replied) admission.outcome(second.part)).reply().toInteger());
        assertEquals(PartOutcome.SKIPPED, admission.outcome(third.part));
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
        assertEquals(2, ((PartOutcome.Replied) first.settled.get(0)).reply().toInteger());
        assertEquals(2, ((PartOutcome.Replied) second.settled.get(0)).reply().toInteger());
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
                PartOutcome.Replied.class, exchange.require(Admission.FACT).outcome(pusher.part));
        assertEquals(List.of("a", "a"), list(pusher));
    }

    @Test
    void aPartThatFailsIsTheOnlyOneFailedAndEndsTheAdmissionRound() {
        Pusher before = new Pusher("a", false);
        Faulty faulty = new Faulty();
        Pusher after = new Pusher("c", false);
        redisData.value(String.class).set(faulty.key, "not a hash");
        RedisRound round = new RedisRound(scripts, List.of(before, faulty, after));
        Exchange exchange = exchange();
        round.onRequest(exchange).await().indefinitely();

        Admission admission = exchange.require(Admission.FACT);
        assertInstanceOf(PartOutcome.Replied.class, admission.outcome(before.part), "decided before the fault");
        PartOutcome.Failed failed = assertInstanceOf(PartOutcome.Failed.class, admission.outcome(FAIL));
        assertEquals(
                "Redis fault in fail.lua: WRONGTYPE",
                assertInstanceOf(RedisFaultException.class, failed.failure()).getMessage());
        assertEquals(
                new PartOutcome.CutOff(failed.failure()), admission.outcome(after.part), "its step meets the fault");
        assertEquals(List.of("a"), list(before), "what ran before the fault stays written");
        assertEquals(List.of(), list(after));
    }

    @Test
    void aPartThatFailsToSettleDoesNotKeepTheOthersFromSettling() {
        Faulty faulty = new Faulty();
        Pusher pusher = new Pusher("a", false);
        RedisRound round = new RedisRound(scripts, List.of(pusher, faulty)); // settled in reverse: faulty first
        Exchange exchange = exchange();
        round.onRequest(exchange).await().indefinitely();
        redisData.value(String.class).set(faulty.key, "not a hash");
        GatewayResponse response = new GatewayResponse(200, Map.of(), Buffer.buffer());
        round.onResponse(exchange, response).await().indefinitely();

        assertInstanceOf(PartOutcome.Failed.class, faulty.settled.get(0));
        assertEquals(List.of("a", "a settled"), list(pusher));
        assertEquals(2, ((PartOutcome.Replied) pusher.settled.get(0)).reply().toInteger());
    }

    @Test
    void aPartsReplyReachesItsStepAsIntegersTextsAndLists() {
        ScriptPart mixed =
                new ScriptPart("mixed.lua", "return {7, 'text', {-2, redis.status_reply('OK')}, '12'}, true");
        Exchange exchange = exchange();
        new RedisRound(scripts, List.of(new OnePart(mixed, "tg:test:{round}:mixed")))
                .onRequest(exchange)
                .await()
                .indefinitely();
        ScriptReply reply =
                exchange.require(Admission.FACT).reply(mixed).await().indefinitely();
        assertEquals(4, reply.size());
        assertEquals(7, reply.get(0).toLong());
        assertEquals("text", reply.get(1).text());
        assertEquals(-2, reply.get(2).get(0).toInteger());
        assertEquals("OK", reply.get(2).get(1).text());
        assertEquals(12, reply.get(3).toLong(), "a number sent as a string reads as a number");
        assertThrows(IllegalStateException.class, () -> reply.get(1).get(0), "a text is no list");
    }

    @Test
    void twoPartsWithOneNameAreRefusedWhenTheRoundIsBuilt() {
        ScriptPart one = new ScriptPart("x.lua", "return 1, true");
        ScriptPart other = new ScriptPart("x.lua", "return 2, true");
        assertThrows(IllegalArgumentException.class, () -> LuaScript.round(List.of(one, other)));
    }

    @Test
    void aPartThatAnswersNothingOrNoVerdictFailsInsteadOfEndingTheRoundUnnoticed() {
        for (String source : new String[] {"return nil, true", "return false, true", "return 1"}) {
            ScriptPart part = new ScriptPart("broken.lua", source);
            RoundParticipant broken = new OnePart(part, "tg:test:{round}:broken");
            Exchange exchange = exchange();
            new RedisRound(scripts, List.of(broken)).onRequest(exchange).await().indefinitely();
            PartOutcome.Failed failed = assertInstanceOf(
                    PartOutcome.Failed.class, exchange.require(Admission.FACT).outcome(part), source);
            assertInstanceOf(RedisFaultException.class, failed.failure(), source);
        }
    }

    @Test
    void aPartCutOffByAnOutageMeetsThatOutageSoItsStepAppliesItsOwnFailurePolicy() {
        ScriptPart readOnly = new ScriptPart("read-only.lua", "error({err = 'READONLY a replica since a failover'})");
        RoundParticipant demoted = new OnePart(readOnly, "tg:test:{round}:read-only");
        Pusher after = new Pusher("b", false);
        Exchange exchange = exchange();
        new RedisRound(scripts, List.of(demoted, after))
                .onRequest(exchange)
                .await()
                .indefinitely();

        Admission admission = exchange.require(Admission.FACT);
        assertInstanceOf(PartOutcome.Failed.class, admission.outcome(readOnly));
        PartOutcome.CutOff cutOff = assertInstanceOf(PartOutcome.CutOff.class, admission.outcome(after.part));
        assertInstanceOf(RedisUnavailableException.class, cutOff.failure());
        assertThrows(
                RedisUnavailableException.class,
                () -> admission.reply(after.part).await().indefinitely(),
                "the step meets the outage, not a gap in the round");
        assertEquals(List.of(), list(after));
    }
}
