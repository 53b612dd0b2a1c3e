package io.tokengateway.audit;

import io.tokengateway.digest.Sha256;
import io.vertx.core.json.JsonObject;

/**
 * Seals audit records into one instance's hash chain. Each record gets the next sequence number, the
 * instance id, its type and the previous record's hash ({@code prev}); its own {@code hash} is the SHA-256
 * of the record's exact JSON text up to that field, so a verifier needs nothing but the written lines. An
 * edited record fails its hash; a deleted or reordered one breaks the sequence and the {@code prev} link.
 *
 * <p>Not thread-safe: only the instance's one writer thread seals, which is what keeps the chain in
 * {@code seq} order in the sink.
 */
public final class AuditChain {

    // The chain's format, public for the verifier (audit.verify), which recomputes it from the written lines.
    public static final String GENESIS = "0".repeat(64);
    public static final String HASH_FIELD = ",\"hash\":\"";

    /** Where the chain stands: restored when a batch could not be written, so no sealed record is skipped. */
    record State(long sequence, String previous) {}

    private final String instance;
    private long sequence;
    private String previous = GENESIS;

    public AuditChain(String instance) {
        this.instance = instance;
    }

    public String instance() {
        return instance;
    }

    /** The seq of the last sealed record (0 before the first). */
    long sequence() {
        return sequence;
    }

    /** The hash of the last sealed record. */
    String head() {
        return previous;
    }

    State state() {
        return new State(sequence, previous);
    }

    void reset(State state) {
        sequence = state.sequence();
        previous = state.previous();
    }

    /** Prefixes seq, instance and type to {@code fields}, appends prev, and returns the sealed one-line JSON form. */
    public String seal(String type, JsonObject fields) {
        JsonObject chained = new JsonObject()
                .put("seq", ++sequence)
                .put("instance", instance)
                .put("type", type);
        chained.mergeIn(fields);
        chained.put("prev", previous);
        String body = chained.encode();
        String hash = sha256(body);
        previous = hash;
        return body.substring(0, body.length() - 1) + HASH_FIELD + hash + "\"}";
    }

    public static String sha256(String text) {
        return Sha256.hex(text);
    }
}
