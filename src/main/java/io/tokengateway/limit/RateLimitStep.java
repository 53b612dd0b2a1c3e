package io.tokengateway.limit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.config.GatewayConfig.RateLimitFailurePolicy;
import io.tokengateway.error.GatewayError;
import io.tokengateway.error.GatewayException;
import io.tokengateway.pipeline.Exchange;
import io.tokengateway.pipeline.GatewayResponse;
import io.tokengateway.pipeline.PipelineStep;
import io.tokengateway.redis.RedisUnavailableException;

/**
 * Step 4: the merchant's shared request budget (GCRA on Redis, DESIGN.md section 5). Over budget is
 * 429 {@code RATE_LIMITED} with {@code Retry-After}, {@code RateLimit-Policy} and {@code RateLimit};
 * allowed answers carry the two {@code RateLimit} headers too, unless the provider already sent its own.
 * When Redis does not answer, {@code gateway.rate-limit.on-redis-failure} decides: a per-replica
 * limiter ({@code local}), no limit ({@code open}) or 503 ({@code closed}).
 */
@ApplicationScoped
public class RateLimitStep implements PipelineStep {

    private final RedisRateLimiter shared;
    private final LocalRateLimiter local;
    private final LimitPolicies policies;
    private final LimitMetrics metrics;
    private final RateLimitFailurePolicy onRedisFailure;

    RateLimitStep(RedisRateLimiter shared, LocalRateLimiter local, LimitPolicies policies, LimitMetrics metrics,
            GatewayConfig config) {
        this.shared = shared;
        this.local = local;
        this.policies = policies;
        this.metrics = metrics;
        this.onRedisFailure = config.rateLimit().onRedisFailure();
    }

    @Override
    public String name() {
        return "rate-limit";
    }

    @Override
    public Uni<GatewayResponse> onRequest(Exchange exchange) {
        String merchantId = exchange.merchant().id();
        LimitPolicy policy = policies.of(merchantId);
        return shared.check(merchantId, policy)
                .onFailure(RedisUnavailableException.class).recoverWithUni(() -> fallback(merchantId, policy))
                .map(decision -> apply(exchange, policy, decision));
    }

    @Override
    public Uni<GatewayResponse> onResponse(Exchange exchange, GatewayResponse response) {
        RateDecision decision = exchange.rateDecision();
        if (decision == null || !decision.allowed() || response.hasHeader("RateLimit")
                || response.hasHeader("RateLimit-Policy")) {
            return Uni.createFrom().item(response);
        }
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.put("RateLimit-Policy", policies.of(exchange.merchant().id()).rateLimitPolicyHeader());
        headers.put("RateLimit", decision.rateLimitHeader());
        return Uni.createFrom().item(new GatewayResponse(response.status(), headers, response.body()));
    }

    /** A failed Uni, not a throw, for closed: a throw inside a recovery would reach the pipeline wrapped. */
    private Uni<RateDecision> fallback(String merchantId, LimitPolicy policy) {
        return switch (onRedisFailure) {
            case LOCAL -> {
                metrics.rate(merchantId, "local_fallback");
                yield Uni.createFrom().item(local.check(merchantId, policy));
            }
            case OPEN -> {
                metrics.rate(merchantId, "open_fallback");
                yield Uni.createFrom().nullItem();
            }
            case CLOSED -> {
                metrics.rate(merchantId, "unavailable");
                yield Uni.createFrom().failure(new GatewayException(GatewayError.DEPENDENCY_UNAVAILABLE,
                        "The rate limiter is unavailable, so the request was not forwarded; retry later."));
            }
        };
    }

    private GatewayResponse apply(Exchange exchange, LimitPolicy policy, RateDecision decision) {
        String merchantId = exchange.merchant().id();
        if (decision == null) {
            return null;
        }
        exchange.rateDecision(decision);
        metrics.remaining(merchantId, decision.remaining());
        if (decision.allowed()) {
            metrics.rate(merchantId, "allowed");
            return null;
        }
        metrics.rate(merchantId, policy.shadow() ? "shadow_limited" : "limited");
        ShadowMode.enforce(exchange, policy, name(), new GatewayException(GatewayError.RATE_LIMITED,
                List.of("The merchant's request rate is used up; retry after " + decision.retryAfterSeconds() + " s."),
                Map.of("Retry-After", Long.toString(decision.retryAfterSeconds()),
                        "RateLimit-Policy", policy.rateLimitPolicyHeader(),
                        "RateLimit", decision.rateLimitHeader())));
        return null;
    }
}
