package io.tokengateway.limit;

import java.util.OptionalLong;
import java.util.Set;

/**
 * One merchant's limits.
 *
 * @param perSecond   sustained request rate
 * @param burst       requests that may arrive at once
 * @param currencies  currencies allowed for create-order (upper case); empty means any
 * @param maxAmount   largest order_amount of one order
 * @param dailyAmount largest sum of order_amount per currency over a rolling 24 h
 * @param shadow      evaluate and report the limits, never enforce them
 */
public record LimitPolicy(
        double perSecond,
        int burst,
        Set<String> currencies,
        OptionalLong maxAmount,
        OptionalLong dailyAmount,
        boolean shadow) {

    public LimitPolicy {
        currencies = Set.copyOf(currencies);
    }

    /** Microseconds between two requests at the sustained rate: GCRA's emission interval. */
    public long emissionIntervalMicros() {
        return Math.max(1, Math.round(1_000_000d / perSecond));
    }

    /**
     * {@code RateLimit-Policy} (IETF draft): the sustained quota per window, with the burst as a parameter;
     * a rate under one per second is expressed as one request per window of that many seconds.
     */
    public String rateLimitPolicyHeader() {
        String quota = perSecond >= 1 ? "q=" + Math.round(perSecond) + ";w=1" : "q=1;w=" + Math.round(1 / perSecond);
        return "\"merchant\";" + quota + ";burst=" + burst;
    }
}
