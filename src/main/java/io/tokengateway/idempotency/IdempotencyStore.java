package io.tokengateway.idempotency;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.tokengateway.digest.Sha256;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.redis.LuaScript;
import io.tokengateway.redis.RedisScripts;
import io.vertx.mutiny.redis.client.Response;

/**
 * Idempotency records in Redis: claim with one atomic {@code SET NX PX}, then
 * complete (store the answer) or release, both owner-checked by Lua so an expired lease can never
 * overwrite a successor.
 *
 * <p>Record keys are {@code tg:idem:{merchant}:<sha256 of the idempotency key>}: hash-tagged by merchant
 * for Redis Cluster, and the caller's key hashed so no caller-chosen text becomes a Redis key name.
 */
@Singleton
public class IdempotencyStore {

    private static final LuaScript CLAIM = LuaScript.load("io/tokengateway/idempotency/claim.lua");
    private static final LuaScript COMPLETE = LuaScript.load("io/tokengateway/idempotency/complete.lua");
    private static final LuaScript RELEASE = LuaScript.load("io/tokengateway/idempotency/release.lua");

    private final RedisScripts redis;

    IdempotencyStore(RedisScripts redis) {
        this.redis = redis;
    }

    public static String recordKey(String merchantId, String idempotencyKey) {
        return "tg:idem:{" + merchantId + "}:" + Sha256.hex(idempotencyKey);
    }

    /** Claims the key for {@code pending}: the claim, or the record that already holds the key. */
    public Uni<ClaimResult> claim(String recordKey, IdempotencyRecord pending, Duration lease) {
        return redis.run(CLAIM, List.of(recordKey), List.of(pending.toJson(), Long.toString(lease.toMillis())))
                .map(reply -> reply.get(0).toInteger() == 1
                        ? new ClaimResult.Claimed(new IdempotencyClaim(recordKey, pending))
                        : new ClaimResult.Held(existing(reply)));
    }

    /**
     * Claims the key as {@link #claim(String, IdempotencyRecord, Duration)} does, then waits up to {@code waitTimeout}
     * until {@code replicas} replicas hold the claim ({@code WAIT} on the claim's connection, in the same round
     * trip). A claim won but not replicated in time is {@link ClaimResult.Unreplicated}: a failover could lose it.
     */
    public Uni<ClaimResult> claim(
            String recordKey, IdempotencyRecord pending, Duration lease, int replicas, Duration waitTimeout) {
        return redis.runAndWait(
                        CLAIM,
                        List.of(recordKey),
                        List.of(pending.toJson(), Long.toString(lease.toMillis())),
                        replicas,
                        waitTimeout)
                .map(replicated -> {
                    if (replicated.reply().get(0).toInteger() != 1) {
                        return new ClaimResult.Held(existing(replicated.reply()));
                    }
                    IdempotencyClaim claim = new IdempotencyClaim(recordKey, pending);
                    return replicated.replicas() >= replicas
                            ? new ClaimResult.Claimed(claim)
                            : new ClaimResult.Unreplicated(claim, replicated.replicas());
                });
    }

    /** Whether a claim was won, and if not, who holds the key. */
    public sealed interface ClaimResult {
        record Claimed(IdempotencyClaim claim) implements ClaimResult {}

        record Held(IdempotencyRecord holder) implements ClaimResult {}

        /** Won, but fewer replicas than required acknowledged it in time: it must be released, not used. */
        record Unreplicated(IdempotencyClaim claim, int replicas) implements ClaimResult {}
    }

    /** Stores the answer for the claim; false when the claim was no longer ours (lease expired). */
    public Uni<Boolean> complete(IdempotencyClaim claim, GatewayResponse answer, Duration retention) {
        return redis.run(
                        COMPLETE,
                        List.of(claim.recordKey()),
                        List.of(
                                claim.record().owner(),
                                claim.record().finished(answer).toJson(),
                                Long.toString(retention.toMillis())))
                .map(reply -> reply.toInteger() == 1);
    }

    /** Gives the key up so the caller may retry; false when the claim was no longer ours. */
    public Uni<Boolean> release(IdempotencyClaim claim) {
        return redis.run(
                        RELEASE,
                        List.of(claim.recordKey()),
                        List.of(claim.record().owner()))
                .map(reply -> reply.toInteger() == 1);
    }

    private static IdempotencyRecord existing(Response reply) {
        // SET NX failed and GET ran in the same script: the record exists.
        return IdempotencyRecord.fromJson(reply.get(1).toString());
    }
}
