package io.tokengateway.audit;

import java.util.UUID;

import io.tokengateway.digest.Sha256;
import io.vertx.core.json.JsonObject;

/**
 * Seals audit records into a per-instance hash chain. Each record gets the instance id, the next
 * sequence number and the previous record's hash ({@code prev}); its own {@code hash} is the SHA-256 of
 * the record's JSON text up to that field, so a verifier needs nothing but the lines themselves
 * ({@link AuditChainVerifier}). An edited record fails its hash; a deleted or reordered one breaks the
 * sequence and the {@code prev} link.
 */
public final class AuditChain {

    static final String GENESIS = "0".repeat(64);
    static final String HASH_FIELD = ",\"hash\":\"";

    private final String instance;
    private long sequence;
    private String previous = GENESIS;

    public AuditChain() {
        this(UUID.randomUUID().toString());
    }

    AuditChain(String instance) {
        this.instance = instance;
    }

    public String instance() {
        return instance;
    }

    /** Adds seq, instance and prev to {@code record}, and returns its sealed one-line JSON form. */
    public synchronized String seal(JsonObject record) {
        JsonObject chained = new JsonObject().put("seq", ++sequence).put("instance", instance);
        chained.mergeIn(record);
        chained.put("prev", previous);
        String body = chained.encode();
        String hash = sha256(body);
        previous = hash;
        return body.substring(0, body.length() - 1) + HASH_FIELD + hash + "\"}";
    }

    static String sha256(String text) {
        return Sha256.hex(text);
    }
}
