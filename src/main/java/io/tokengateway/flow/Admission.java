package io.tokengateway.flow;

import java.util.List;

import io.smallrye.mutiny.Uni;

/**
 * What a request's admission round came to, part by part: the one round trip to Redis before the upstream call,
 * which the runtime ({@code redis.RedisRound}) makes for every {@link RoundParticipant} before the first of them
 * runs. Each participant reads its own part: {@link #reply} when it decides, {@link #outcome} when it settles.
 */
public final class Admission {

    public static final Fact<Admission> FACT = new Fact<>("redis-admission");

    private final List<ScriptCall> calls;
    private final List<PartOutcome> outcomes;
    private final int replicas;
    private final long nanos;
    private final boolean answered;

    private Admission(List<ScriptCall> calls, List<PartOutcome> outcomes, int replicas, long nanos, boolean answered) {
        this.calls = calls;
        this.outcomes = outcomes;
        this.replicas = replicas;
        this.nanos = nanos;
        this.answered = answered;
    }

    /** Redis answered the round: one outcome per call, in order (a part of it may still have failed). */
    public static Admission answered(List<ScriptCall> calls, List<PartOutcome> outcomes, int replicas, long nanos) {
        return new Admission(List.copyOf(calls), List.copyOf(outcomes), replicas, nanos, true);
    }

    /** The round failed as a whole (no answer, a timeout): every part {@link PartOutcome.Failed} with it. */
    public static Admission unanswered(List<ScriptCall> calls, RuntimeException failure, long nanos) {
        PartOutcome failed = new PartOutcome.Failed(failure);
        return new Admission(
                List.copyOf(calls), calls.stream().map(call -> failed).toList(), 0, nanos, false);
    }

    /** What {@code part} came to; {@link PartOutcome#SKIPPED} when the round did not ask for it. */
    public PartOutcome outcome(ScriptPart part) {
        int at = indexOf(part);
        return at < 0 ? PartOutcome.SKIPPED : outcomes.get(at);
    }

    /** The call the round made for {@code part} (its keys and arguments). */
    public ScriptCall call(ScriptPart part) {
        int at = indexOf(part);
        if (at < 0) {
            throw new IllegalStateException("the admission round did not ask for " + part.name());
        }
        return calls.get(at);
    }

    private int indexOf(ScriptPart part) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).part() == part) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The reply of {@code part} as a {@code Uni}: its item, or the round's failure, so a step handles a failed
     * round as it would a failed call of its own. A part the round did not run fails with
     * {@link IllegalStateException}: a step went on where its script had stopped, a wiring bug.
     */
    public Uni<ScriptReply> reply(ScriptPart part) {
        PartOutcome outcome = outcome(part);
        if (outcome instanceof PartOutcome.Replied replied) {
            return Uni.createFrom().item(replied.reply());
        }
        if (outcome instanceof PartOutcome.Failed failed) {
            return Uni.createFrom().failure(failed.failure());
        }
        if (outcome instanceof PartOutcome.CutOff cutOff) {
            return Uni.createFrom().failure(cutOff.failure());
        }
        return Uni.createFrom().failure(new IllegalStateException("the admission round did not run " + part.name()));
    }

    /** How many replicas acknowledged the round's writes; 0 when no part asked for any. */
    public int replicas() {
        return replicas;
    }

    /** How long the round took, replica acknowledgements included. */
    public long nanos() {
        return nanos;
    }

    /** Whether Redis answered the round at all. */
    public boolean answered() {
        return answered;
    }
}
