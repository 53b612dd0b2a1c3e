package io.tokengateway.idempotency;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.tokengateway.digest.Sha256;
import io.tokengateway.flow.Admission;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.PartOutcome;
import io.tokengateway.flow.ScriptCall;
import io.tokengateway.flow.ScriptPart;
import io.tokengateway.flow.ScriptReply;

/**
 * Idempotency records in Redis: claimed with one atomic {@code SET NX PX} in the request's admission round,
 * then completed (the answer stored) or released in its settlement round, both owner-checked by Lua so an
 * expired lease can never overwrite a successor.
 *
 * <p>Record keys are {@code tg:idem:{merchant}:<sha256 of the idempotency key>}: hash-tagged by merchant
 * for Redis Cluster, and the caller's key hashed so no caller-chosen text becomes a Redis key name.
 */
@Singleton
public class IdempotencyStore {

    private final RecordSeal seal;

    IdempotencyStore(RecordSeal seal) {
        this.seal = seal;
    }

    static final ScriptPart CLAIM = ScriptPart.load("io/tokengateway/idempotency/claim.lua");
    static final ScriptPart COMPLETE = ScriptPart.load("io/tokengateway/idempotency/complete.lua");
    static final ScriptPart RELEASE = ScriptPart.load("io/tokengateway/idempotency/release.lua");

    public static String recordKey(String merchantId, String idempotencyKey) {
        return "tg:idem:{" + merchantId + "}:" + Sha256.hex(idempotencyKey);
    }

    /**
     * The claim of the key for {@code attempt}'s pending record; with {@code replicas} above 0, the round waits
     * up to {@code waitTimeout} until that many replicas hold it ({@code WAIT}, in the same round trip).
     */
    public ScriptCall claim(IdempotencyClaim attempt, Duration lease, int replicas, Duration waitTimeout) {
        return new ScriptCall(
                CLAIM,
                List.of(attempt.recordKey()),
                List.of(seal.seal(attempt.recordKey(), attempt.record().toJson()), Long.toString(lease.toMillis())),
                replicas,
                waitTimeout);
    }

    /**
     * What the admission round made of the claim: won, held by another record, or won but held by fewer than
     * {@code replicas} replicas (a failover could lose it).
     */
    public Uni<ClaimResult> claimed(Exchange exchange, IdempotencyClaim attempt, int replicas) {
        Admission round = exchange.require(Admission.FACT);
        return round.reply(CLAIM).map(reply -> {
            if (reply.get(0).toInteger() != 1) {
                return existing(attempt.recordKey(), reply);
            }
            return round.replicas() >= replicas
                    ? new ClaimResult.Claimed(attempt)
                    : new ClaimResult.Unreplicated(attempt, round.replicas());
        });
    }

    /** Whether the admission round may have claimed the key: it did, or it failed without saying. */
    public boolean mayHaveClaimed(Admission round) {
        PartOutcome reply = round.outcome(CLAIM);
        if (reply instanceof PartOutcome.Replied replied) {
            return replied.reply().get(0).toInteger() == 1;
        }
        return reply instanceof PartOutcome.Failed;
    }

    /** Whether a claim was won, and if not, who holds the key. */
    public sealed interface ClaimResult {
        record Claimed(IdempotencyClaim claim) implements ClaimResult {}

        record Held(IdempotencyRecord holder) implements ClaimResult {}

        /**
         * Held by a record that fails its seal ({@code reason}: {@code mismatch} or {@code unsealed}): nothing in
         * it may be trusted, neither replayed nor used to decide.
         */
        record SealFailed(String reason) implements ClaimResult {}

        /** Won, but fewer replicas than required acknowledged it in time: it must be released, not used. */
        record Unreplicated(IdempotencyClaim claim, int replicas) implements ClaimResult {}
    }

    /** Stores the answer for the claim, while the claim is still ours (lease not expired). */
    public ScriptCall complete(IdempotencyClaim claim, GatewayResponse answer, Duration retention) {
        return new ScriptCall(
                COMPLETE,
                List.of(claim.recordKey()),
                List.of(
                        claim.record().owner(),
                        seal.seal(
                                claim.recordKey(),
                                claim.record().finished(answer).toJson()),
                        Long.toString(retention.toMillis())));
    }

    /** Gives the key up so the caller may retry, while the claim is still ours. */
    public ScriptCall release(IdempotencyClaim claim) {
        return new ScriptCall(
                RELEASE, List.of(claim.recordKey()), List.of(claim.record().owner()));
    }

    /** Whether a completion or a release found the claim still ours. */
    public boolean wasOurs(ScriptReply reply) {
        return reply.toInteger() == 1;
    }

    private ClaimResult existing(String recordKey, ScriptReply reply) {
        // SET NX failed and GET ran in the same script: the record exists. Its seal is checked before it is parsed.
        RecordSeal.Opened opened = seal.open(recordKey, reply.get(1).text());
        if (opened instanceof RecordSeal.Opened.Trusted trusted) {
            return new ClaimResult.Held(IdempotencyRecord.fromJson(trusted.json()));
        }
        return new ClaimResult.SealFailed(((RecordSeal.Opened.Refused) opened).reason());
    }
}
