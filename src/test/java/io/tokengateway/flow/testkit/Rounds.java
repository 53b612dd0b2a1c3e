package io.tokengateway.flow.testkit;

import java.util.ArrayList;
import java.util.List;

import io.tokengateway.flow.Admission;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.PartOutcome;
import io.tokengateway.flow.RoundParticipant;
import io.tokengateway.flow.ScriptCall;
import io.tokengateway.flow.ScriptReply;

/**
 * Admission rounds as Redis would have answered them, for testing a {@link RoundParticipant} on its own: its
 * calls taken from the participants themselves, its replies written as Java values (a {@code Long} is an
 * integer reply, a {@code String} a text, a {@code List} a list), so the participant's own code reads them.
 * Running parts on a real Redis: {@code redis.TestRounds}.
 */
public final class Rounds {

    private Rounds() {}

    /**
     * Asks each participant for its admission call and establishes the round on the exchange with
     * {@code replies}, one per call in order; calls beyond the replies were skipped (a part before them said no).
     */
    public static void replied(
            Exchange exchange, int replicas, List<? extends RoundParticipant> participants, Object... replies) {
        List<ScriptCall> calls = calls(exchange, participants);
        List<PartOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            outcomes.add(i < replies.length ? new PartOutcome.Replied(reply(replies[i])) : PartOutcome.SKIPPED);
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

    /** A reply holding {@code value}: a number, a string, or a list of those. */
    public static ScriptReply reply(Object value) {
        if (value instanceof Number number) {
            return ScriptReply.integer(number.longValue());
        }
        if (value instanceof String text) {
            return ScriptReply.text(text);
        }
        if (value instanceof List<?> items) {
            return ScriptReply.list(items.stream().map(Rounds::reply).toList());
        }
        throw new IllegalArgumentException("no script reply for " + value);
    }

    private static List<ScriptCall> calls(Exchange exchange, List<? extends RoundParticipant> participants) {
        List<ScriptCall> calls = new ArrayList<>();
        for (RoundParticipant participant : participants) {
            participant.admission(exchange).ifPresent(calls::add);
        }
        return calls;
    }
}
