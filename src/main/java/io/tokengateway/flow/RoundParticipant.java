package io.tokengateway.flow;

import java.util.List;
import java.util.Optional;

/**
 * A step that keeps state in Redis and leaves the round trips to {@code redis.RedisRound}: it says what it needs
 * of Redis for a request, before any of the round's steps runs, reads its reply from {@link Admission#FACT}
 * when its turn comes, and settles on the way out in the round after the upstream call.
 */
public interface RoundParticipant {

    /** Every script this step may run in a round, so the round's script holds them. */
    List<ScriptPart> scriptParts();

    /** Its part in the admission round for this request, if it has one. */
    Optional<ScriptCall> admission(Exchange exchange);

    /**
     * Its part in the settlement round once the response is known (store, release, refund), if it has one. Also
     * where it undoes what the admission round did for it when its step never ran (a step before it refused).
     */
    default Optional<ScriptCall> settlement(Exchange exchange, GatewayResponse response) {
        return Optional.empty();
    }

    /** What its settlement came to, for its metrics and logs; it cannot change the response any more. */
    default void settled(Exchange exchange, PartOutcome reply) {}
}
