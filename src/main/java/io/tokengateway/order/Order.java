package io.tokengateway.order;

import io.tokengateway.flow.Fact;

/**
 * The facts of a validated {@code create-order} body that later steps need (amount limits, audit).
 * The body itself is forwarded as the caller sent it, never re-serialised from this.
 *
 * @param amount    {@code order_amount}, minor units
 * @param currency  {@code purchase_currency}, upper case
 * @param lineCount number of order lines
 */
public record Order(long amount, String currency, int lineCount) {

    /** Established by the validation step for a create-order. */
    public static final Fact<Order> FACT = new Fact<>("order");
}
