package io.tokengateway.limit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.tokengateway.digest.Sha256;
import io.tokengateway.flow.Admission;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.PartOutcome;
import io.tokengateway.flow.ScriptCall;
import io.tokengateway.flow.ScriptPart;
import io.tokengateway.flow.ScriptReply;

/**
 * Rolling 24 h order totals per merchant and currency in Redis ({@code tg:amount:{merchant}:<currency>}),
 * reserved in the request's admission round and refunded in its settlement round, atomically by Lua
 * ({@code reserve_amount.lua}, {@code refund_amount.lua}). An order
 * with an idempotency key binds its reservation to merchant + key
 * ({@code tg:amount:{merchant}:key:<sha256 of the key>}), so every attempt with that key shares one reservation.
 */
@Singleton
public class DailyAmountStore {

    static final ScriptPart RESERVE = ScriptPart.load("io/tokengateway/limit/reserve_amount.lua");
    static final ScriptPart REFUND = ScriptPart.load("io/tokengateway/limit/refund_amount.lua");

    /** The outcome of a reservation attempt: reserved (or reused) or not, and the 24 h total before this order. */
    public record Attempt(AmountReservation reservation, boolean reserved, long totalBefore) {}

    /**
     * The reservation of {@code amount} unless it would take the total over {@code limit} (always, when
     * {@code force}); with an idempotency key, the key's reservation reused when an earlier attempt of the same
     * order ({@code fingerprint}) left one. An order refused by the limit ends the round.
     */
    public ScriptCall reserve(
            String merchantId,
            String currency,
            long amount,
            long limit,
            boolean force,
            Optional<String> idempotencyKey,
            String fingerprint,
            Duration reservationLifetime) {
        List<String> keys = new ArrayList<>(2);
        keys.add(totalsKey(merchantId, currency));
        idempotencyKey.ifPresent(k -> keys.add("tg:amount:{" + merchantId + "}:key:" + Sha256.hex(k)));
        return new ScriptCall(
                RESERVE,
                keys,
                List.of(
                        Long.toString(amount),
                        Long.toString(limit),
                        force ? "1" : "0",
                        Long.toString(reservationLifetime.toMillis()),
                        fingerprint));
    }

    /** What the request's admission round made of the reservation. */
    public Uni<Attempt> reserved(Exchange exchange) {
        Admission round = exchange.require(Admission.FACT);
        return round.reply(RESERVE).map(reply -> attempt(round, reply));
    }

    /** The reservation the admission round made, if it ran the part and reserved. */
    public Optional<AmountReservation> reservationIn(Admission round) {
        if (round.outcome(RESERVE) instanceof PartOutcome.Replied replied) {
            Attempt attempt = attempt(round, replied.reply());
            return attempt.reserved() ? Optional.of(attempt.reservation()) : Optional.empty();
        }
        return Optional.empty();
    }

    /** Gives the amount back; its reply says whether there was anything to give (see {@link #refunded}). */
    public ScriptCall refund(AmountReservation reservation) {
        List<String> keys = new ArrayList<>(2);
        keys.add(reservation.key());
        reservation.reservationKey().ifPresent(keys::add);
        return new ScriptCall(
                REFUND, keys, List.of(Long.toString(reservation.bucket()), Long.toString(reservation.amount())));
    }

    /** False when the refund found nothing to give (already settled, or left the window). */
    public boolean refunded(ScriptReply reply) {
        return reply.toInteger() == 1;
    }

    private static Attempt attempt(Admission round, ScriptReply reply) {
        ScriptCall call = round.call(RESERVE);
        List<String> keys = call.keys();
        return new Attempt(
                new AmountReservation(
                        keys.get(0),
                        keys.size() == 2 ? Optional.of(keys.get(1)) : Optional.empty(),
                        reply.get(1).toLong(),
                        reply.get(4).toLong(),
                        reply.get(3).toInteger() == 1),
                reply.get(0).toInteger() == 1,
                reply.get(2).toLong());
    }

    private static String totalsKey(String merchantId, String currency) {
        return "tg:amount:{" + merchantId + "}:" + currency;
    }
}
