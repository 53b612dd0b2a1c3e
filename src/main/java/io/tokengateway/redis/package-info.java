/**
 * Shared access to Redis for the steps that keep state there (idempotency, limits): each concern's Lua
 * scripts ({@link io.tokengateway.flow.ScriptPart}) run as parts of a round ({@link
 * io.tokengateway.redis.RedisRound}): one round trip before the upstream call and one after, by SHA, bounded
 * by {@code gateway.redis.timeout}, with two failure types: "Redis is not answering" and "Redis answered with a
 * fault". Key layout is owned by each concern; every key is hash-tagged by merchant ({@code {m1}}) so Redis
 * Cluster keeps a merchant's keys, and so each round, on one slot.
 */
package io.tokengateway.redis;
