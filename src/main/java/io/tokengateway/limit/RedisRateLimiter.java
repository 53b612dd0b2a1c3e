package io.tokengateway.limit;

import java.util.List;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.tokengateway.flow.Admission;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.ScriptCall;
import io.tokengateway.flow.ScriptPart;

/**
 * The merchant's request budget across every replica: GCRA in one Lua script on Redis server time
 * ({@code rate_limit.lua}), key {@code tg:rate:{merchant}}, checked as a part of the request's
 * admission round.
 */
@Singleton
public class RedisRateLimiter {

    static final ScriptPart GCRA = ScriptPart.load("io/tokengateway/limit/rate_limit.lua");

    /** The check for one request; a refusal ends the round, unless the merchant is in shadow mode. */
    public ScriptCall check(String merchantId, LimitPolicy policy) {
        return new ScriptCall(
                GCRA,
                List.of("tg:rate:{" + merchantId + "}"),
                List.of(
                        Long.toString(policy.emissionIntervalMicros()),
                        Integer.toString(policy.burst()),
                        policy.shadow() ? "1" : "0"));
    }

    /** The decision the request's admission round came to. */
    public Uni<RateDecision> decision(Exchange exchange) {
        return exchange.require(Admission.FACT)
                .reply(GCRA)
                .map(reply -> new RateDecision(
                        reply.get(0).toInteger() == 1,
                        reply.get(1).toLong(),
                        reply.get(2).toLong(),
                        reply.get(3).toLong()));
    }
}
