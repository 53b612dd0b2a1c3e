package io.tokengateway.limit;

import java.util.Optional;

import io.tokengateway.flow.Fact;

/**
 * An order amount reserved against a merchant's rolling 24 h total: where, and how much to give back.
 *
 * @param key            the hash of 10-minute buckets for the merchant and currency
 * @param reservationKey the record binding the reservation to merchant + idempotency key, when the order has a key
 * @param reused         true when a retry with the same key found its earlier attempt's reservation
 */
public record AmountReservation(String key, Optional<String> reservationKey, long bucket, long amount, boolean reused) {

    /** Established by the daily-amount step when it reserved (or reused) an amount. */
    public static final Fact<AmountReservation> FACT = new Fact<>("amount-reservation");
}
