package io.tokengateway.redis;

import io.vertx.mutiny.redis.client.Response;

/** What one part of a round came to. */
public sealed interface RoundReply {

    /** The part ran and answered. */
    record Replied(Response reply) implements RoundReply {}

    /** The part did not run: a part before it ended the round. */
    record Skipped() implements RoundReply {}

    /**
     * The round failed ({@link RedisUnavailableException} or {@link RedisFaultException}): the part may have run
     * or not, its reply is lost.
     */
    record Failed(RuntimeException failure) implements RoundReply {}

    Skipped SKIPPED = new Skipped();
}
