package io.tokengateway.redis;

import java.util.ArrayList;
import java.util.List;

import io.tokengateway.flow.Admission;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.PartOutcome;
import io.tokengateway.flow.RoundParticipant;
import io.tokengateway.flow.ScriptCall;
import io.tokengateway.flow.ScriptPart;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.BulkType;
import io.vertx.redis.client.impl.types.MultiType;
import io.vertx.redis.client.impl.types.NumberType;

/**
 * Admission rounds as Redis would have answered them, for testing a {@link RoundParticipant} on its own: its
 * calls taken from the participants themselves, its replies written as Java values (a {@code Long} is an
 * integer reply, a {@code String} a bulk string, a {@code List} an array), so the participant's own code reads
 * them.
 */
public final class Rounds {

    private Rounds() {}

    /**
     * Asks each participant for its admission call and establishes the round on the exchange with
     * {@code replies}, one per call in order; calls beyond the replies were skipped (a part before them said no).
     */
    public static void replied(
            Exchange exchange, int replicas, List<RoundParticipant> participants, Object... replies) {
        List<ScriptCall> calls = calls(exchange, participants);
        List<PartOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            outcomes.add(i < replies.length ? new PartOutcome.Replied(response(replies[i])) : PartOutcome.SKIPPED);
        }
        exchange.establish(Admission.FACT, Admission.answered(calls, outcomes, replicas, 1));
    }

    /** One participant's admission round, answered with {@code reply}. */
    public static void replied(Exchange exchange, RoundParticipant participant, Object reply) {
        replied(exchange, 0, List.of(participant), reply);
    }

    /** Asks each participant for its admission call and establishes a round that failed with {@code failure}. */
    public static void failed(Exchange exchange, RuntimeException failure, RoundParticipant... participants) {
        exchange.establish(Admission.FACT, Admission.unanswered(calls(exchange, List.of(participants)), failure, 1));
    }

    /** Runs {@code calls} as one round on a real Redis, as the gateway would, and waits for their replies. */
    public static List<Response> run(RedisScripts redis, ScriptCall... calls) {
        List<ScriptPart> parts = new ArrayList<>();
        for (ScriptCall call : calls) {
            parts.add(call.part());
        }
        List<Response> replies = new ArrayList<>();
        for (PartOutcome reply : redis.admit(LuaScript.round(parts), List.of(calls))
                .await()
                .indefinitely()
                .replies()) {
            if (reply instanceof PartOutcome.Failed failed) {
                throw failed.failure();
            }
            replies.add(reply instanceof PartOutcome.Replied replied ? replied.reply() : null);
        }
        return replies;
    }

    /** A Redis reply holding {@code value}. */
    public static Response response(Object value) {
        return Response.newInstance(delegate(value));
    }

    private static io.vertx.redis.client.Response delegate(Object value) {
        if (value instanceof Number number) {
            return NumberType.create(number.longValue());
        }
        if (value instanceof String text) {
            return BulkType.create(Buffer.buffer(text), false);
        }
        if (value instanceof List<?> items) {
            MultiType multi = MultiType.create(items.size(), false);
            for (Object item : items) {
                multi.add(delegate(item));
            }
            return multi;
        }
        throw new IllegalArgumentException("no Redis reply for " + value);
    }

    private static List<ScriptCall> calls(Exchange exchange, List<RoundParticipant> participants) {
        List<ScriptCall> calls = new ArrayList<>();
        for (RoundParticipant participant : participants) {
            participant.admission(exchange).ifPresent(calls::add);
        }
        return calls;
    }
}
