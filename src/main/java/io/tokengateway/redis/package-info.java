/**
 * Shared access to Redis for the steps that keep state there (idempotency, limits): Lua scripts loaded
 * from resources and run by SHA in one round trip, a bound on every call, and one exception type for
 * "Redis is not answering". Key layout is owned by each concern; every key is hash-tagged by merchant
 * ({@code {m1}}) so Redis Cluster keeps a merchant's keys together.
 */
package io.tokengateway.redis;
