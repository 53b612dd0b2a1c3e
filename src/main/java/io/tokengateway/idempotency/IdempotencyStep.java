package io.tokengateway.idempotency;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.tokengateway.auth.Caller;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.config.GatewayConfig.FailurePolicy;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Admission;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.Fact;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.Operation;
import io.tokengateway.flow.PartOutcome;
import io.tokengateway.flow.RoundParticipant;
import io.tokengateway.flow.ScriptCall;
import io.tokengateway.flow.ScriptPart;
import io.tokengateway.flow.StepResult;
import io.tokengateway.flow.UpstreamOutcome;
import io.tokengateway.merchant.Merchant;
import io.tokengateway.redis.RedisFaultException;
import io.tokengateway.redis.RedisUnavailableException;

/**
 * Idempotency: a retried order is never placed twice.
 *
 * <p>On the way in, for {@code create-order} and for {@code cancel-token} with a key, it claims
 * merchant + key in Redis (its part of the request's admission round, {@code claim.lua}). The same request already answered is replayed (status, headers, body byte for
 * byte, {@code Idempotent-Replayed: true}) without calling the upstream; still in flight is 409
 * {@code IDEMPOTENCY_KEY_IN_USE}; the key used for another operation, customer token, body or caller is 422
 * {@code IDEMPOTENCY_KEY_REUSED}.
 *
 * <p>On the way out (its part of the settlement round), a definite upstream outcome (2xx, or a 4xx that refuses for good) is stored for the
 * retention period; every other outcome, and a request that never reached the provider, releases the key,
 * so the caller may retry, and the retry reaches the provider with the same {@code Klarna-Idempotency-Key},
 * which the provider deduplicates too.
 *
 * <p>With {@code gateway.idempotency.replica-acks} above 0, a claim is forwarded only once that many replicas
 * hold it: a claim only the primary held would be lost in a failover, and the retry would reach the provider
 * again. A claim not replicated in time is released and answered 503 {@code DEPENDENCY_UNAVAILABLE}.
 */
@Singleton
public class IdempotencyStep implements RoundParticipant {

    private static final Logger LOG = Logger.getLogger(IdempotencyStep.class);
    private static final Duration MIN_LEASE = Duration.ofSeconds(30);
    /** A 503 always says when to retry (DESIGN section 2). */
    private static final Map<String, String> RETRY_AFTER = Map.of("Retry-After", "1");

    /** The claim this request asked the admission round for (its pending record, its owner id). */
    private static final Fact<IdempotencyClaim> ATTEMPT = new Fact<>("idempotency-attempt");

    /**
     * The answer as this step saw it on the way out: what is stored, before the steps ahead of it add their own
     * headers (the rate limit's), which a replay gets fresh.
     */
    private static final Fact<GatewayResponse> ANSWER = new Fact<>("idempotency-answer");

    private final IdempotencyStore store;
    private final IdempotencyMetrics metrics;
    private final Duration lease;
    private final Duration retention;
    private final FailurePolicy onRedisFailure;
    private final int replicaAcks;
    private final Duration replicaAckTimeout;

    IdempotencyStep(IdempotencyStore store, IdempotencyMetrics metrics, GatewayConfig config) {
        this.store = store;
        this.metrics = metrics;
        Duration byTimeout = config.upstream().timeout().multipliedBy(3).dividedBy(2);
        this.lease = byTimeout.compareTo(MIN_LEASE) > 0 ? byTimeout : MIN_LEASE;
        this.retention = config.idempotency().retention();
        this.onRedisFailure = config.idempotency().onRedisFailure();
        this.replicaAcks = config.idempotency().replicaAcks();
        this.replicaAckTimeout =
                config.idempotency().replicaAckTimeout().orElse(config.redis().timeout());
        if (replicaAcks < 0 || (replicaAcks > 0 && replicaAckTimeout.toMillis() < 1)) {
            throw new IllegalArgumentException(
                    "gateway.idempotency.replica-acks must be 0 or more, and replica-ack-timeout at least 1ms");
        }
    }

    @Override
    public String name() {
        return "idempotency";
    }

    @Override
    public List<ScriptPart> scriptParts() {
        return List.of(IdempotencyStore.CLAIM, IdempotencyStore.COMPLETE, IdempotencyStore.RELEASE);
    }

    @Override
    public Optional<ScriptCall> admission(Exchange exchange) {
        if (!needsClaim(exchange)) {
            return Optional.empty();
        }
        IdempotencyClaim attempt = new IdempotencyClaim(
                IdempotencyStore.recordKey(
                        exchange.require(Merchant.FACT).id(), exchange.request().idempotencyKey()),
                IdempotencyRecord.pending(
                        UUID.randomUUID().toString(),
                        exchange.require(Caller.FACT).id(),
                        exchange.operation(),
                        exchange.request().fingerprint()));
        exchange.establish(ATTEMPT, attempt);
        return Optional.of(store.claim(attempt, lease, replicaAcks, replicaAckTimeout));
    }

    @Override
    public Uni<StepResult> onRequest(Exchange exchange) {
        if (!needsClaim(exchange)) {
            return StepResult.proceed();
        }
        String merchantId = exchange.require(Merchant.FACT).id();
        IdempotencyClaim attempt = exchange.require(ATTEMPT);
        return store.claimed(exchange, attempt, replicaAcks)
                .invoke(() -> metrics.claimTook(exchange.require(Admission.FACT).nanos()))
                .map(result -> {
                    if (result instanceof IdempotencyStore.ClaimResult.Claimed claimed) {
                        exchange.establish(IdempotencyClaim.FACT, claimed.claim());
                        metrics.count(merchantId, "claimed");
                        return StepResult.CONTINUE;
                    }
                    if (result instanceof IdempotencyStore.ClaimResult.Unreplicated unreplicated) {
                        return notReplicated(exchange, merchantId, unreplicated);
                    }
                    if (result instanceof IdempotencyStore.ClaimResult.SealFailed failed) {
                        return sealFailed(exchange, merchantId, attempt, failed.reason());
                    }
                    return decide(
                            exchange,
                            merchantId,
                            attempt.record(),
                            ((IdempotencyStore.ClaimResult.Held) result).holder());
                })
                // The round may have claimed the key before it failed (a reply lost, a WAIT that failed after it):
                // the settlement round gives the claim up, owner-checked, so it does not hold retries off.
                .onFailure(RedisUnavailableException.class)
                .recoverWithItem(() -> redisDown(exchange, merchantId))
                .onFailure(RedisFaultException.class)
                .recoverWithItem(StepResult::internalError);
    }

    @Override
    public Uni<GatewayResponse> onResponse(Exchange exchange, GatewayResponse response) {
        if (exchange.fact(IdempotencyClaim.FACT).isPresent()) {
            exchange.establish(ANSWER, response);
        }
        return Uni.createFrom().item(response);
    }

    /**
     * A definite upstream outcome (2xx, or a 4xx that refuses for good) is stored for the retention period;
     * every other outcome, and a request that never reached the provider, releases the key. A key the admission
     * round may have claimed without the step ever holding it (the round failed, a step before refused) is
     * released too, owner-checked: harmless if it was never ours.
     */
    @Override
    public Optional<ScriptCall> settlement(Exchange exchange, GatewayResponse response) {
        Optional<IdempotencyClaim> held = exchange.fact(IdempotencyClaim.FACT);
        if (held.isPresent()) {
            return Optional.of(
                    isDefinite(exchange)
                            ? store.complete(held.get(), exchange.fact(ANSWER).orElse(response), retention)
                            : store.release(held.get()));
        }
        Optional<IdempotencyClaim> attempt = exchange.fact(ATTEMPT);
        boolean mayHold = attempt.isPresent()
                && exchange.fact(Admission.FACT).map(store::mayHaveClaimed).orElse(false);
        return mayHold ? Optional.of(store.release(attempt.get())) : Optional.empty();
    }

    @Override
    public void settled(Exchange exchange, PartOutcome outcome) {
        String merchantId = exchange.require(Merchant.FACT).id();
        boolean stored = exchange.fact(IdempotencyClaim.FACT).isPresent() && isDefinite(exchange);
        boolean held = exchange.fact(IdempotencyClaim.FACT).isPresent();
        if (outcome instanceof PartOutcome.Replied replied) {
            boolean ours = store.wasOurs(replied.reply());
            if (held || ours) { // a claim the failed round never made is nothing to count
                metrics.count(merchantId, !ours ? "lost" : stored ? "stored" : "released");
            }
            return;
        }
        if (!held) {
            return; // a claim the failed admission round may have made: its failure was already counted and answered
        }
        metrics.count(merchantId, stored ? "store_failed" : "release_failed");
        // The caller still gets the upstream's answer; the claim expires with its lease (409 until then).
        LOG.warnf(
                "Could not %s idempotency record for merchant %s (correlation id %s): %s",
                stored ? "store" : "release",
                merchantId,
                exchange.correlationId(),
                outcome instanceof PartOutcome.Failed failed
                        ? failed.failure().getClass().getSimpleName()
                        : "not run");
    }

    private static boolean needsClaim(Exchange exchange) {
        return exchange.request().idempotencyKey() != null && exchange.operation() != Operation.READ_TOKEN;
    }

    private static boolean isDefinite(Exchange exchange) {
        return exchange.upstreamOutcome().map(UpstreamOutcome::isDefinite).orElse(false);
    }

    private StepResult decide(Exchange exchange, String merchantId, IdempotencyRecord mine, IdempotencyRecord holder) {
        if (holder.isPending() && (holder.isLegacy() || holder.isSameRequestAs(mine))) {
            // A legacy claim cannot say which token it is for: wait for it rather than guess.
            metrics.count(merchantId, "in_use");
            return new StepResult.Reject(
                    GatewayError.IDEMPOTENCY_KEY_IN_USE,
                    List.of("A request with this idempotency key is still in flight; retry shortly."),
                    Map.of("Retry-After", "1"));
        }
        if (holder.isLegacy()) {
            metrics.count(merchantId, "legacy");
            return new StepResult.Reject(
                    GatewayError.IDEMPOTENCY_KEY_REUSED,
                    "This idempotency key was answered by an earlier "
                            + "version of the gateway, which cannot tell which customer token it was for; use a new key.");
        }
        if (!holder.isSameRequestAs(mine)) {
            metrics.count(merchantId, "reused");
            return new StepResult.Reject(
                    GatewayError.IDEMPOTENCY_KEY_REUSED,
                    "This idempotency key was already used with a different operation, customer token, body or caller.");
        }
        metrics.count(merchantId, "replayed");
        exchange.markReplayed();
        return new StepResult.Answer(holder.response().withHeader("Idempotent-Replayed", "true"));
    }

    /**
     * A record nobody may trust holds the key: neither replayed nor forwarded (the key stays taken until the record
     * expires or an operator removes it). Logged with the merchant and the key's hash only: the record may hold
     * anything its writer put there.
     */
    private StepResult sealFailed(Exchange exchange, String merchantId, IdempotencyClaim attempt, String reason) {
        metrics.sealFailed(merchantId, reason);
        String recordKey = attempt.recordKey();
        LOG.errorf(
                "Idempotency record for merchant %s, key hash %s fails its seal (%s): not replayed, not forwarded"
                        + " (correlation id %s)",
                merchantId, recordKey.substring(recordKey.lastIndexOf(':') + 1), reason, exchange.correlationId());
        return StepResult.internalError();
    }

    /** Refuses to forward; the claim is released in the settlement round, so the caller's retry is not held off. */
    private StepResult notReplicated(
            Exchange exchange, String merchantId, IdempotencyStore.ClaimResult.Unreplicated unreplicated) {
        metrics.count(merchantId, "unreplicated");
        exchange.establish(IdempotencyClaim.FACT, unreplicated.claim());
        LOG.warnf(
                "Idempotency claim reached %d of %d replicas in %s: not forwarded (correlation id %s)",
                unreplicated.replicas(), replicaAcks, replicaAckTimeout, exchange.correlationId());
        return new StepResult.Reject(
                GatewayError.DEPENDENCY_UNAVAILABLE,
                List.of("The idempotency store could not replicate the claim in time, so the request was not forwarded;"
                        + " retry later."),
                RETRY_AFTER);
    }

    private StepResult redisDown(Exchange exchange, String merchantId) {
        metrics.count(merchantId, "redis_unavailable");
        if (onRedisFailure == FailurePolicy.OPEN) {
            // Forward unclaimed: the provider still deduplicates by Klarna-Idempotency-Key.
            LOG.warnf(
                    "Redis unavailable: forwarding without an idempotency claim (correlation id %s)",
                    exchange.correlationId());
            return StepResult.CONTINUE;
        }
        return new StepResult.Reject(
                GatewayError.DEPENDENCY_UNAVAILABLE,
                List.of("The idempotency store is unavailable, so the request was not forwarded; retry later."),
                RETRY_AFTER);
    }
}
