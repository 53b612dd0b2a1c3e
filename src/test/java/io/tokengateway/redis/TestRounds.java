package io.tokengateway.redis;

import java.util.ArrayList;
import java.util.List;

import io.tokengateway.flow.PartOutcome;
import io.tokengateway.flow.ScriptCall;
import io.tokengateway.flow.ScriptPart;
import io.tokengateway.flow.ScriptReply;

/** Parts run on a real Redis as the gateway runs them, for tests of a concern's scripts. */
public final class TestRounds {

    private TestRounds() {}

    /** Runs {@code calls} as one admission round and waits for their replies (null for a part not run). */
    public static List<ScriptReply> run(RedisScripts redis, ScriptCall... calls) {
        List<ScriptPart> parts = new ArrayList<>();
        for (ScriptCall call : calls) {
            parts.add(call.part());
        }
        List<ScriptReply> replies = new ArrayList<>();
        for (PartOutcome outcome : redis.admit(LuaScript.round(parts), List.of(calls))
                .await()
                .indefinitely()
                .parts()) {
            if (outcome instanceof PartOutcome.Failed failed) {
                throw failed.failure();
            }
            replies.add(outcome instanceof PartOutcome.Replied replied ? replied.reply() : null);
        }
        return replies;
    }
}
