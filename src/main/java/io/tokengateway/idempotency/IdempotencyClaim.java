package io.tokengateway.idempotency;

import io.tokengateway.flow.Fact;

/** A key this request holds: the Redis record key and the claim's owner id. */
public record IdempotencyClaim(String recordKey, IdempotencyRecord record) {

    /** Established by the idempotency step when it claimed the request's key. */
    public static final Fact<IdempotencyClaim> FACT = new Fact<>("idempotency-claim");
}
