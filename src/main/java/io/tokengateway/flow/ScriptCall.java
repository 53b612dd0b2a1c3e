package io.tokengateway.flow;

import java.time.Duration;
import java.util.List;

/**
 * One part of a round, for one request: which script, on which keys, with which arguments.
 *
 * @param replicas how many replicas must hold the round's writes before its replies count ({@code WAIT},
 *     in the same round trip); 0 for none
 * @param replicaTimeout how long the round waits for them
 */
public record ScriptCall(ScriptPart part, List<String> keys, List<String> args, int replicas, Duration replicaTimeout) {

    public ScriptCall {
        keys = List.copyOf(keys);
        args = List.copyOf(args);
        if (replicas < 0 || (replicas > 0 && replicaTimeout.toMillis() < 1)) {
            throw new IllegalArgumentException("replicas must be 0 or more, with a timeout of at least 1ms");
        }
    }

    /** A call whose writes need no replica's acknowledgement. */
    public ScriptCall(ScriptPart part, List<String> keys, List<String> args) {
        this(part, keys, args, 0, Duration.ZERO);
    }
}
