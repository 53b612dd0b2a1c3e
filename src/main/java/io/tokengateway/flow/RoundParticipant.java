package io.tokengateway.flow;

import java.util.List;
import java.util.Optional;

/**
 * A step that keeps state in Redis. It never calls Redis itself: a request makes one round trip before the
 * upstream call and one after, each one atomic script holding a part of every participant (the runtime,
 * {@code redis.RedisRound}, runs them; the pipeline takes the participants from its step list, in step order).
 * A participant meets a request in this order, which is also the order of its methods in its file:
 *
 * <ol>
 *   <li>{@link #admission}: before the first participant runs, each one says what it needs of Redis for this
 *       request, one {@link ScriptCall} of one of its {@link #scriptParts}. It may read only the facts of the
 *       steps before the first participant. The round runs the calls in step order; a part that says no (a
 *       limit reached, a key already held) or fails ends it, and the parts after it do not run.
 *   <li>{@link #onRequest}, at its own place: it decides from its reply,
 *       {@code exchange.require(Admission.FACT).reply(PART)}, a {@code Uni} that fails with the round's failure
 *       when the round failed, so it applies its own failure policy as it would to a call of its own.
 *   <li>{@link #onResponse}, as every step.
 *   <li>{@link #settlement}: after every participant saw the response, in reverse step order, what it settles
 *       (store, release, refund, hold); all of them run as one more script, each whatever the others did. Asked
 *       also of a participant whose {@code onRequest} never ran (a step before it refused), so it can undo what
 *       the admission round did for it ({@link Admission#outcome}).
 *   <li>{@link #settled}: what its settlement came to, for its metrics and logs; the answer is already decided.
 * </ol>
 *
 * What it learnt on one visit and needs on a later one it keeps as facts on the exchange, as every step does.
 */
public interface RoundParticipant extends Step {

    /** Every script this step may run in a round, so the round's script holds them. */
    List<ScriptPart> scriptParts();

    /** Its call in the admission round for this request, if it has one. */
    Optional<ScriptCall> admission(Exchange exchange);

    /**
     * Its call in the settlement round once the response is known (store, release, refund), if it has one. Also
     * where it undoes what the admission round did for it when its step never ran (a step before it refused).
     */
    default Optional<ScriptCall> settlement(Exchange exchange, GatewayResponse response) {
        return Optional.empty();
    }

    /** What its settlement came to, for its metrics and logs; it cannot change the response any more. */
    default void settled(Exchange exchange, PartOutcome outcome) {}
}
