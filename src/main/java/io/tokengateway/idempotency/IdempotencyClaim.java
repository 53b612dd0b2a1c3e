package io.tokengateway.idempotency;

/** A key this request holds: the Redis record key and the claim's owner id. */
public record IdempotencyClaim(String recordKey, IdempotencyRecord record) {
}
