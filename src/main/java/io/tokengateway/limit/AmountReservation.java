package io.tokengateway.limit;

/** An order amount reserved against a merchant's rolling 24 h total: where, and how much to give back. */
public record AmountReservation(String key, long bucket, long amount) {
}
