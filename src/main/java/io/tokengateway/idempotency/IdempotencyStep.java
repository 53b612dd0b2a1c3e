package io.tokengateway.idempotency;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.config.GatewayConfig.FailurePolicy;
import io.tokengateway.error.GatewayError;
import io.tokengateway.error.GatewayException;
import io.tokengateway.pipeline.Exchange;
import io.tokengateway.pipeline.GatewayResponse;
import io.tokengateway.pipeline.Operation;
import io.tokengateway.pipeline.PipelineStep;
import io.tokengateway.redis.RedisUnavailableException;

/**
 * Step 6: a retried order is never placed twice (DESIGN.md section 4).
 *
 * <p>On the way in, for {@code create-order} and for {@code cancel-token} with a key, it claims
 * merchant + key in Redis. The same request already answered is replayed (status, headers, body byte for
 * byte, {@code Idempotent-Replayed: true}) without calling the upstream; still in flight is 409
 * {@code IDEMPOTENCY_KEY_IN_USE}; the key used for another body, operation or caller is 422
 * {@code IDEMPOTENCY_KEY_REUSED}.
 *
 * <p>On the way out, a definite upstream answer (2xx, or 4xx other than 408 and 429) is stored for the
 * retention period; anything else (5xx, timeout, connection failure, the provider refusing our
 * credentials, a transient 408/429) releases the key, so the caller may retry, and the retry reaches the
 * provider with the same {@code Klarna-Idempotency-Key}, which the provider deduplicates too.
 */
@ApplicationScoped
public class IdempotencyStep implements PipelineStep {

    private static final Logger LOG = Logger.getLogger(IdempotencyStep.class);
    private static final Duration MIN_LEASE = Duration.ofSeconds(30);

    private final IdempotencyStore store;
    private final IdempotencyMetrics metrics;
    private final Duration lease;
    private final Duration retention;
    private final FailurePolicy onRedisFailure;

    IdempotencyStep(IdempotencyStore store, IdempotencyMetrics metrics, GatewayConfig config) {
        this.store = store;
        this.metrics = metrics;
        Duration byTimeout = config.upstream().timeout().multipliedBy(3).dividedBy(2);
        this.lease = byTimeout.compareTo(MIN_LEASE) > 0 ? byTimeout : MIN_LEASE;
        this.retention = config.idempotency().retention();
        this.onRedisFailure = config.idempotency().onRedisFailure();
    }

    @Override
    public String name() {
        return "idempotency";
    }

    @Override
    public Uni<GatewayResponse> onRequest(Exchange exchange) {
        String key = exchange.request().idempotencyKey();
        if (key == null || exchange.operation() == Operation.READ_TOKEN) {
            return CONTINUE;
        }
        String merchantId = exchange.merchant().id();
        String recordKey = IdempotencyStore.recordKey(merchantId, key);
        IdempotencyRecord mine = IdempotencyRecord.pending(UUID.randomUUID().toString(), exchange.caller().id(),
                exchange.operation(), IdempotencyStore.fingerprint(exchange.request().body()));
        return store.claim(recordKey, mine, lease)
                .map(holder -> holder == null ? claimed(exchange, new IdempotencyClaim(recordKey, mine)) : decide(merchantId, mine, holder))
                .onFailure(RedisUnavailableException.class).recoverWithUni(failure -> redisDown(exchange));
    }

    private GatewayResponse claimed(Exchange exchange, IdempotencyClaim claim) {
        exchange.idempotencyClaim(claim);
        metrics.count(exchange.merchant().id(), "claimed");
        return null;
    }

    @Override
    public Uni<GatewayResponse> onResponse(Exchange exchange, GatewayResponse response) {
        IdempotencyClaim claim = exchange.idempotencyClaim();
        if (claim == null) {
            return Uni.createFrom().item(response);
        }
        String merchantId = exchange.merchant().id();
        boolean definite = isDefiniteAnswer(exchange.upstreamStatus());
        Uni<Boolean> settled = definite ? store.complete(claim, response, retention) : store.release(claim);
        return settled
                .map(ours -> {
                    metrics.count(merchantId, !ours ? "lost" : definite ? "stored" : "released");
                    return response;
                })
                .onFailure().recoverWithItem(failure -> {
                    // The caller still gets the upstream's answer; the claim expires with its lease.
                    LOG.warnf("Could not %s idempotency record for merchant %s (correlation id %s): %s",
                            definite ? "store" : "release", merchantId, exchange.correlationId(), failure.getClass().getSimpleName());
                    metrics.count(merchantId, "redis_unavailable");
                    return response;
                });
    }

    /** A 2xx or 4xx from the provider is its final word on this request; 408 and 429 are not. */
    static boolean isDefiniteAnswer(int upstreamStatus) {
        return (upstreamStatus >= 200 && upstreamStatus < 300)
                || (upstreamStatus >= 400 && upstreamStatus < 500 && upstreamStatus != 401 && upstreamStatus != 408
                        && upstreamStatus != 429);
    }

    private GatewayResponse decide(String merchantId, IdempotencyRecord mine, IdempotencyRecord holder) {
        if (!holder.isSameRequestAs(mine)) {
            metrics.count(merchantId, "reused");
            throw new GatewayException(GatewayError.IDEMPOTENCY_KEY_REUSED,
                    "This idempotency key was already used with a different body, operation or caller.");
        }
        if (holder.isPending()) {
            metrics.count(merchantId, "in_use");
            throw new GatewayException(GatewayError.IDEMPOTENCY_KEY_IN_USE,
                    List.of("A request with this idempotency key is still in flight; retry shortly."),
                    Map.of("Retry-After", "1"));
        }
        metrics.count(merchantId, "replayed");
        return replay(holder.response());
    }

    private static GatewayResponse replay(GatewayResponse stored) {
        Map<String, String> headers = new LinkedHashMap<>(stored.headers());
        headers.put("Idempotent-Replayed", "true");
        return new GatewayResponse(stored.status(), headers, stored.body());
    }

    private Uni<GatewayResponse> redisDown(Exchange exchange) {
        metrics.count(exchange.merchant().id(), "redis_unavailable");
        if (onRedisFailure == FailurePolicy.OPEN) {
            // Forward unclaimed: the provider still deduplicates by Klarna-Idempotency-Key.
            LOG.warnf("Redis unavailable: forwarding without an idempotency claim (correlation id %s)", exchange.correlationId());
            return CONTINUE;
        }
        return Uni.createFrom().failure(new GatewayException(GatewayError.DEPENDENCY_UNAVAILABLE,
                "The idempotency store is unavailable, so the request was not forwarded; retry later."));
    }
}
