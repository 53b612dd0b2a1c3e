/**
 * The runtime of the Redis rounds and shared access to Redis: {@link io.tokengateway.redis.RedisRound} makes a
 * request's one round trip before the upstream call and one after for every step that keeps state there (the
 * {@code flow.RoundParticipant}s, idempotency, limits, the provider hold), each concern's Lua scripts run as
 * parts of one script ({@link io.tokengateway.redis.LuaScript}) by SHA ({@link io.tokengateway.redis.RedisScripts}),
 * bounded by {@code gateway.redis.timeout}, with two failure types: "Redis is not answering"
 * ({@link io.tokengateway.redis.RedisUnavailableException}) and "Redis answered with a fault"
 * ({@link io.tokengateway.redis.RedisFaultException}). Key layout is owned by each concern; every key is
 * hash-tagged by merchant ({@code {m1}}) so Redis Cluster keeps a merchant's keys, and so each round, on one slot.
 */
package io.tokengateway.redis;
