package io.tokengateway.limit;

import java.util.List;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.tokengateway.redis.LuaScript;
import io.tokengateway.redis.RedisScripts;

/**
 * The merchant's request budget across every replica: GCRA in one Lua script on Redis server time
 * ({@code rate_limit.lua}), one round trip per check, key {@code tg:rate:{merchant}}.
 */
@Singleton
public class RedisRateLimiter {

    private static final LuaScript GCRA = LuaScript.load("io/tokengateway/limit/rate_limit.lua");

    private final RedisScripts redis;

    RedisRateLimiter(RedisScripts redis) {
        this.redis = redis;
    }

    public Uni<RateDecision> check(String merchantId, LimitPolicy policy) {
        return redis.run(
                        GCRA,
                        List.of("tg:rate:{" + merchantId + "}"),
                        List.of(Long.toString(policy.emissionIntervalMicros()), Integer.toString(policy.burst())))
                .map(reply -> new RateDecision(
                        reply.get(0).toInteger() == 1,
                        reply.get(1).toLong(),
                        reply.get(2).toLong(),
                        reply.get(3).toLong()));
    }
}
