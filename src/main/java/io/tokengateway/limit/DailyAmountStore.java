package io.tokengateway.limit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.tokengateway.digest.Sha256;
import io.tokengateway.redis.LuaScript;
import io.tokengateway.redis.RedisScripts;

/**
 * Rolling 24 h order totals per merchant and currency in Redis ({@code tg:amount:{merchant}:<currency>}),
 * reserved and refunded atomically by Lua ({@code reserve_amount.lua}, {@code refund_amount.lua}). An order
 * with an idempotency key binds its reservation to merchant + key
 * ({@code tg:amount:{merchant}:key:<sha256 of the key>}), so every attempt with that key shares one reservation.
 */
@Singleton
public class DailyAmountStore {

    private static final LuaScript RESERVE = LuaScript.load("io/tokengateway/limit/reserve_amount.lua");
    private static final LuaScript REFUND = LuaScript.load("io/tokengateway/limit/refund_amount.lua");

    private final RedisScripts redis;

    DailyAmountStore(RedisScripts redis) {
        this.redis = redis;
    }

    /** The outcome of a reservation attempt: reserved (or reused) or not, and the 24 h total before this order. */
    public record Attempt(AmountReservation reservation, boolean reserved, long totalBefore) {}

    /**
     * Reserves {@code amount} unless it would take the total over {@code limit} (always, when {@code force});
     * with an idempotency key, reuses the key's reservation when an earlier attempt of the same order
     * ({@code fingerprint}) left one.
     */
    public Uni<Attempt> reserve(
            String merchantId,
            String currency,
            long amount,
            long limit,
            boolean force,
            Optional<String> idempotencyKey,
            String fingerprint,
            Duration reservationLifetime) {
        String key = "tg:amount:{" + merchantId + "}:" + currency;
        Optional<String> reservationKey =
                idempotencyKey.map(k -> "tg:amount:{" + merchantId + "}:key:" + Sha256.hex(k));
        List<String> keys = new ArrayList<>(2);
        keys.add(key);
        reservationKey.ifPresent(keys::add);
        return redis.run(
                        RESERVE,
                        keys,
                        List.of(
                                Long.toString(amount),
                                Long.toString(limit),
                                force ? "1" : "0",
                                Long.toString(reservationLifetime.toMillis()),
                                fingerprint))
                .map(reply -> new Attempt(
                        new AmountReservation(
                                key,
                                reservationKey,
                                reply.get(1).toLong(),
                                reply.get(4).toLong(),
                                reply.get(3).toInteger() == 1),
                        reply.get(0).toInteger() == 1,
                        reply.get(2).toLong()));
    }

    /** Gives the amount back; false when there was nothing to give (already settled, or left the window). */
    public Uni<Boolean> refund(AmountReservation reservation) {
        List<String> keys = new ArrayList<>(2);
        keys.add(reservation.key());
        reservation.reservationKey().ifPresent(keys::add);
        return redis.run(
                        REFUND, keys, List.of(Long.toString(reservation.bucket()), Long.toString(reservation.amount())))
                .map(reply -> reply.toInteger() == 1);
    }
}
