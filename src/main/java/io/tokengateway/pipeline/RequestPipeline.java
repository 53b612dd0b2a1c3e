package io.tokengateway.pipeline;

import java.time.Duration;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.tokengateway.auth.AuthenticateStep;
import io.tokengateway.auth.AuthorizeStep;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.Step;
import io.tokengateway.flow.StepResult;
import io.tokengateway.idempotency.IdempotencyStep;
import io.tokengateway.idempotency.KeyRequirementStep;
import io.tokengateway.limit.DailyAmountStep;
import io.tokengateway.limit.OrderPolicyStep;
import io.tokengateway.limit.RateLimitStep;
import io.tokengateway.order.OrderValidationStep;
import io.tokengateway.policy.PolicyStep;
import io.tokengateway.redis.RedisRound;
import io.tokengateway.redis.RedisScripts;
import io.tokengateway.syntax.RequestSyntaxStep;
import io.tokengateway.upstream.ForwardStep;
import io.tokengateway.upstream.ProviderHoldStep;

/**
 * The request flow in one place: which steps, in which order. The order is the design: cheap checks first, so
 * that nothing touches Redis or the upstream for a request that is rejected on its face; then one round trip to
 * Redis for every step that keeps state there, each step deciding from its own part; the upstream last. The
 * {@link RequestRunner} runs them, then writes the request's one audit record and its metrics.
 */
@Singleton
public class RequestPipeline {

    private static final Logger LOG = Logger.getLogger(RequestPipeline.class);

    private final Duration shutdownPatience;
    private final RequestRunner runner;
    private final AuditRecords audit;
    private final RequestMetrics metrics;

    RequestPipeline(
            PolicyStep policy,
            RequestSyntaxStep syntax,
            AuthenticateStep authenticate,
            AuthorizeStep authorize,
            KeyRequirementStep idempotencyKey,
            OrderValidationStep validate,
            ProviderHoldStep providerHold,
            RateLimitStep rateLimit,
            OrderPolicyStep orderLimit,
            IdempotencyStep idempotency,
            DailyAmountStep dailyAmount,
            ForwardStep forward,
            RedisScripts redis,
            AuditRecords audit,
            RequestMetrics metrics,
            @ConfigProperty(name = "quarkus.shutdown.timeout", defaultValue = "30s") Duration shutdownPatience) {
        this.shutdownPatience = shutdownPatience;
        // The steps that keep state in Redis (RoundParticipant: provider hold, rate limit, idempotency, daily
        // amount) share one round trip to Redis before the upstream call and one after: RedisRound.placedIn puts
        // the step that makes them ("redis-round") before the first of them.
        List<Step> steps = RedisRound.placedIn(
                List.of(
                        policy, // the policy in force now, for the whole request (callers, merchants, limits, version)
                        syntax, // path token, headers: well-formed or 400
                        authenticate, // bearer JWT verified by Quarkus OIDC, caller named
                        authorize, // merchant chosen, caller allowed that merchant and operation
                        idempotencyKey, // create-order carries its idempotency key where the merchant requires one
                        validate, // body: schema and arithmetic as the provider checks them
                        orderLimit, // create-order: currency allowed, per-order maximum (no Redis: before the round)
                        providerHold, // merchant held after a provider 429 (any replica): 429, nothing spent
                        rateLimit, // the merchant's shared request budget (Redis GCRA)
                        idempotency, // claim merchant + key, or replay / 409 / 422; store or release on the way out
                        dailyAmount, // create-order: reserve against the rolling 24 h total; settle by the outcome
                        forward), // credentials injected, upstream called, its typed outcome recorded and passed back
                redis);
        this.runner = new RequestRunner(steps, audit, metrics);
        this.audit = audit;
        this.metrics = metrics;
    }

    /** Runs the request; see {@link RequestRunner#handle}: never fails, never cancelled by the caller. */
    public Uni<GatewayResponse> handle(Exchange exchange) {
        return runner.handle(exchange);
    }

    /**
     * On shutdown, before the audit trail writes its last checkpoint and the clients close: the work of every
     * request already started finishes, including those whose callers hung up (the HTTP layer's graceful
     * shutdown counts a request done when its connection closes).
     *
     * <p>Quarkus stops in this order (3.32): readiness DOWN and the shutdown delay ({@code quarkus.shutdown.delay});
     * the HTTP layer stops accepting and waits for its open requests; then the shutdown tasks, last registered
     * first: the HTTP servers close, the {@code ShutdownEvent} observers run (this one first, by its priority;
     * then the audit trail's final checkpoint), then the Redis clients close, then the CDI container is
     * destroyed ({@code ProviderClients}' {@code @PreDestroy} closes the provider clients), then Vert.x. So
     * Redis and the provider clients are still open while this waits. {@code GracefulShutdownIT} holds it to
     * that: a hung-up caller's order in flight at SIGTERM is answered by the provider, stored and audited.
     */
    void drain(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        if (!runner.awaitNone(shutdownPatience)) {
            LOG.warnf("Shutting down with %d requests still in flight after %s", runner.inFlight(), shutdownPatience);
        }
    }

    /**
     * The answer to a request the HTTP layer turned away before it became an operation (413, 404, 400),
     * once its record is flushed; 503 when the record could not be written.
     */
    public Uni<GatewayResponse> unmatched(String correlationId, String step, GatewayError error, String message) {
        metrics.recordUnmatched(error);
        return audit.recordUnmatched(correlationId, step, error)
                .replaceWith(() -> GatewayResponse.error(new StepResult.Reject(error, message), correlationId))
                .onFailure()
                .recoverWithItem(() -> GatewayResponse.error(RequestRunner.AUDIT_UNAVAILABLE, correlationId));
    }
}
