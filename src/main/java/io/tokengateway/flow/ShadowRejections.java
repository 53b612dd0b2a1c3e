package io.tokengateway.flow;

import java.util.List;

/**
 * The limits that would have rejected the request had its merchant not been in shadow mode: established by the
 * limit steps, read by the request's audit record. A flow fact, so the record's builder needs no limit package.
 */
public final class ShadowRejections {

    public static final Fact<List<Rejection>> FACT = new Fact<>("shadow-violations");

    private ShadowRejections() {}
}
