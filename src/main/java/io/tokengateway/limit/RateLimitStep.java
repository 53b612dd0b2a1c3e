package io.tokengateway.limit;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.config.GatewayConfig.RateLimitFailurePolicy;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.RoundParticipant;
import io.tokengateway.flow.ScriptCall;
import io.tokengateway.flow.ScriptPart;
import io.tokengateway.flow.StepResult;
import io.tokengateway.merchant.Merchant;
import io.tokengateway.redis.RedisFaultException;
import io.tokengateway.redis.RedisUnavailableException;

/**
 * Rate limit: the merchant's shared request budget (GCRA on Redis, its part of the admission round, after the
 * provider hold's). Over budget is 429 {@code RATE_LIMITED} with {@code Retry-After}, {@code RateLimit-Policy} and {@code RateLimit}; allowed answers carry the two
 * {@code RateLimit} headers too, unless the provider already sent its own. When Redis is unavailable,
 * {@code gateway.rate-limit.on-redis-failure} decides: a per-replica limiter ({@code local}), no limit
 * ({@code open}) or 503 ({@code closed}). A Redis fault (an error that is no outage) is a 500, never a fallback.
 */
@Singleton
public class RateLimitStep implements RoundParticipant {

    private final RedisRateLimiter shared;
    private final LocalRateLimiter local;
    private final LimitMetrics metrics;
    private final RateLimitFailurePolicy onRedisFailure;

    RateLimitStep(RedisRateLimiter shared, LocalRateLimiter local, LimitMetrics metrics, GatewayConfig config) {
        this.shared = shared;
        this.local = local;
        this.metrics = metrics;
        this.onRedisFailure = config.rateLimit().onRedisFailure();
    }

    @Override
    public String name() {
        return "rate-limit";
    }

    @Override
    public List<ScriptPart> scriptParts() {
        return List.of(RedisRateLimiter.GCRA);
    }

    @Override
    public Optional<ScriptCall> admission(Exchange exchange) {
        String merchantId = exchange.require(Merchant.FACT).id();
        return Optional.of(shared.check(merchantId, LimitPolicies.forMerchant(exchange, merchantId)));
    }

    @Override
    public Uni<StepResult> onRequest(Exchange exchange) {
        String merchantId = exchange.require(Merchant.FACT).id();
        LimitPolicy policy = LimitPolicies.forMerchant(exchange, merchantId);
        return shared.decision(exchange)
                .map(decision -> apply(exchange, policy, decision))
                .onFailure(RedisUnavailableException.class)
                .recoverWithItem(() -> fallback(exchange, merchantId, policy))
                .onFailure(RedisFaultException.class)
                .recoverWithItem(StepResult::internalError);
    }

    @Override
    public Uni<GatewayResponse> onResponse(Exchange exchange, GatewayResponse response) {
        Optional<RateDecision> decision = exchange.fact(RateDecision.FACT);
        if (decision.isEmpty()
                || !decision.get().allowed()
                || response.hasHeader("RateLimit")
                || response.hasHeader("RateLimit-Policy")) {
            return Uni.createFrom().item(response);
        }
        String policy = LimitPolicies.forMerchant(
                        exchange, exchange.require(Merchant.FACT).id())
                .rateLimitPolicyHeader();
        return Uni.createFrom()
                .item(response.withHeader("RateLimit-Policy", policy)
                        .withHeader("RateLimit", decision.get().rateLimitHeader()));
    }

    /** What the failure policy makes of a request the shared limiter could not decide. */
    private StepResult fallback(Exchange exchange, String merchantId, LimitPolicy policy) {
        return switch (onRedisFailure) {
            case LOCAL -> {
                metrics.rate(merchantId, "local_fallback");
                yield apply(exchange, policy, local.check(merchantId, policy));
            }
            case OPEN -> {
                metrics.rate(merchantId, "open_fallback");
                yield StepResult.CONTINUE;
            }
            case CLOSED -> {
                metrics.rate(merchantId, "unavailable");
                yield new StepResult.Reject(
                        GatewayError.DEPENDENCY_UNAVAILABLE,
                        "The rate limiter is unavailable, so the request was not forwarded; retry later.");
            }
        };
    }

    private StepResult apply(Exchange exchange, LimitPolicy policy, RateDecision decision) {
        String merchantId = exchange.require(Merchant.FACT).id();
        exchange.establish(RateDecision.FACT, decision);
        metrics.remaining(merchantId, decision.remaining());
        if (decision.allowed()) {
            metrics.rate(merchantId, "allowed");
            return StepResult.CONTINUE;
        }
        metrics.rate(merchantId, policy.shadow() ? "shadow_limited" : "limited");
        return ShadowMode.enforce(
                exchange,
                policy,
                name(),
                new StepResult.Reject(
                        GatewayError.RATE_LIMITED,
                        List.of("The merchant's request rate is used up; retry after " + decision.retryAfterSeconds()
                                + " s."),
                        Map.of(
                                "Retry-After",
                                Long.toString(decision.retryAfterSeconds()),
                                "RateLimit-Policy",
                                policy.rateLimitPolicyHeader(),
                                "RateLimit",
                                decision.rateLimitHeader())));
    }
}
