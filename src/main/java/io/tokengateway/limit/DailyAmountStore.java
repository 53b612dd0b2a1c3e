package io.tokengateway.limit;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.tokengateway.redis.LuaScript;
import io.tokengateway.redis.RedisScripts;

/**
 * Rolling 24 h order totals per merchant and currency in Redis ({@code tg:amount:{merchant}:<currency>}),
 * reserved and refunded atomically by Lua ({@code reserve_amount.lua}, {@code refund_amount.lua}).
 */
@ApplicationScoped
public class DailyAmountStore {

    private static final LuaScript RESERVE = LuaScript.load("io/tokengateway/limit/reserve_amount.lua");
    private static final LuaScript REFUND = LuaScript.load("io/tokengateway/limit/refund_amount.lua");

    private final RedisScripts redis;

    DailyAmountStore(RedisScripts redis) {
        this.redis = redis;
    }

    /** The outcome of a reservation attempt: reserved or not, and the 24 h total before this order. */
    public record Attempt(AmountReservation reservation, boolean reserved, long totalBefore) {
    }

    /** Reserves {@code amount} unless it would take the total over {@code limit} (always, when {@code force}). */
    public Uni<Attempt> reserve(String merchantId, String currency, long amount, long limit, boolean force) {
        String key = "tg:amount:{" + merchantId + "}:" + currency;
        return redis.run(RESERVE, List.of(key), List.of(Long.toString(amount), Long.toString(limit), force ? "1" : "0"))
                .map(reply -> new Attempt(new AmountReservation(key, reply.get(1).toLong(), amount),
                        reply.get(0).toInteger() == 1, reply.get(2).toLong()));
    }

    public Uni<Boolean> refund(AmountReservation reservation) {
        return redis.run(REFUND, List.of(reservation.key()),
                List.of(Long.toString(reservation.bucket()), Long.toString(reservation.amount())))
                .map(reply -> reply.toInteger() == 1);
    }
}
