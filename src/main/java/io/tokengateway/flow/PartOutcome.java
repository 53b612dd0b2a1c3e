package io.tokengateway.flow;

/** What one part of a round came to: replied, skipped, failed or cut off by a part before it that failed. */
public sealed interface PartOutcome {

    /** The part ran and replied. */
    record Replied(ScriptReply reply) implements PartOutcome {}

    /** The part did not run: a part before it ended the round. */
    record Skipped() implements PartOutcome {}

    /**
     * The round failed ({@code RedisUnavailableException} or {@code RedisFaultException}), or this part did: the
     * part may have run or not, its reply is lost.
     */
    record Failed(RuntimeException failure) implements PartOutcome {}

    /**
     * The part did not run: a part before it failed with {@code failure} and ended the round. Its step meets that
     * failure and applies its own failure policy, as if its own call had failed; nothing of it is in Redis.
     */
    record CutOff(RuntimeException failure) implements PartOutcome {}

    Skipped SKIPPED = new Skipped();
}
