package io.tokengateway.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.tokengateway.audit.AuditTrail;
import io.tokengateway.auth.AuthenticateStep;
import io.tokengateway.auth.AuthorizeStep;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.Rejection;
import io.tokengateway.flow.Step;
import io.tokengateway.flow.StepResult;
import io.tokengateway.idempotency.IdempotencyStep;
import io.tokengateway.idempotency.KeyRequirementStep;
import io.tokengateway.limit.DailyAmountStep;
import io.tokengateway.limit.OrderPolicyStep;
import io.tokengateway.limit.RateLimitStep;
import io.tokengateway.order.OrderValidationStep;
import io.tokengateway.redis.RedisRound;
import io.tokengateway.redis.RedisScripts;
import io.tokengateway.syntax.RequestSyntaxStep;
import io.tokengateway.upstream.ForwardStep;

/**
 * The request flow in one place. The order of {@link #steps} is the design: cheap checks first, so that
 * nothing touches Redis or the upstream for a request that is rejected on its face; then one round trip to
 * Redis for every step that keeps state there, each step deciding from its own part; the upstream last;
 * and after all of them, whatever happened, one audit record and the request's metrics.
 *
 * <p>A request always runs to its end. The caller hanging up cancels its wait for the answer, never the
 * work: an order already on its way to the provider is finished, its answer stored or its key released,
 * its amount committed or refunded, and the request audited, exactly as if the caller had waited.
 */
@Singleton
public class RequestPipeline {

    private static final Logger LOG = Logger.getLogger(RequestPipeline.class);
    private static final StepResult.Reject AUDIT_UNAVAILABLE =
            new StepResult.Reject(GatewayError.DEPENDENCY_UNAVAILABLE, "The gateway cannot write its audit trail.");

    private final InFlightRequests inFlight = new InFlightRequests();
    private final Duration shutdownPatience;
    private final List<Step> steps;
    private final AuditTrail audit;
    private final RequestMetrics metrics;

    RequestPipeline(
            RequestSyntaxStep syntax,
            AuthenticateStep authenticate,
            AuthorizeStep authorize,
            KeyRequirementStep idempotencyKey,
            OrderValidationStep validate,
            RateLimitStep rateLimit,
            OrderPolicyStep orderLimit,
            IdempotencyStep idempotency,
            DailyAmountStep dailyAmount,
            ForwardStep forward,
            RedisScripts redis,
            AuditTrail audit,
            RequestMetrics metrics,
            @ConfigProperty(name = "quarkus.shutdown.timeout", defaultValue = "30s") Duration shutdownPatience) {
        this.shutdownPatience = shutdownPatience;
        this.steps = List.of(
                syntax, // path token, headers: well-formed or 400
                authenticate, // bearer JWT verified by Quarkus OIDC, caller named
                authorize, // merchant chosen, caller allowed that merchant and operation
                idempotencyKey, // create-order carries its idempotency key where the merchant requires one
                validate, // body: schema and arithmetic as the provider checks them
                orderLimit, // create-order: currency allowed, per-order maximum (no Redis: before the round)
                // One Redis round trip before the upstream call for the next three steps, one after for settling:
                new RedisRound(redis, List.of(rateLimit, idempotency, dailyAmount)),
                rateLimit, // the merchant's shared request budget (Redis GCRA)
                idempotency, // claim merchant + key in Redis, or replay / 409 / 422; store or release on the way out
                dailyAmount, // create-order: reserve against the rolling 24 h total; settle by the upstream outcome
                forward); // credentials injected, upstream called, its typed outcome recorded, its answer passed back
        this.audit = audit;
        this.metrics = metrics;
    }

    /**
     * Runs the request through every step, audits it and records its metrics. The work starts now and
     * runs to its end whoever waits for it: cancelling the returned {@code Uni} (a caller that hung up)
     * only stops the wait. Never fails: every outcome is an answer.
     */
    public Uni<GatewayResponse> handle(Exchange exchange) {
        CompletableFuture<GatewayResponse> answered = new CompletableFuture<>();
        inFlight.started();
        answered.whenComplete((response, failure) -> inFlight.finished());
        // A gateway that cannot write its audit trail does not act: 503 until the trail writes again.
        Uni<GatewayResponse> work =
                audit.accepting() ? run(0, exchange) : Uni.createFrom().item(() -> unaudited(exchange));
        work.onFailure()
                .recoverWithItem(failure -> unexpected(exchange, "response", failure))
                // The answer leaves only once its record is flushed; a record that could not be written makes it a 503.
                .chain(response -> audit.record(exchange, response)
                        .replaceWith(response)
                        .onFailure()
                        .recoverWithItem(failure -> unaudited(exchange)))
                .invoke(response -> recordMetrics(exchange, response))
                .subscribe()
                .with(answered::complete, answered::completeExceptionally);
        // An emitter, not Uni.createFrom().completionStage(): cancelling that would cancel the future.
        return Uni.createFrom()
                .emitter(emitter -> answered.whenComplete((response, failure) -> {
                    if (failure != null) {
                        emitter.fail(failure);
                    } else {
                        emitter.complete(response);
                    }
                }));
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
        if (!inFlight.awaitNone(shutdownPatience)) {
            LOG.warnf("Shutting down with %d requests still in flight after %s", inFlight.count(), shutdownPatience);
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
                .recoverWithItem(() -> GatewayResponse.error(AUDIT_UNAVAILABLE, correlationId));
    }

    private Uni<GatewayResponse> run(int index, Exchange exchange) {
        if (index == steps.size()) {
            // The last step is the forwarder, which always answers; reaching here is a wiring bug.
            return Uni.createFrom().failure(new IllegalStateException("no step answered the request"));
        }
        Step step = steps.get(index);
        return onRequest(step, exchange).onItemOrFailure().transformToUni((result, failure) -> {
            if (failure != null) {
                return Uni.createFrom().item(unexpected(exchange, step.name(), failure));
            }
            if (result instanceof StepResult.Reject rejection) {
                exchange.rejection(new Rejection(step.name(), rejection.error()));
                return Uni.createFrom().item(GatewayResponse.error(rejection, exchange.correlationId()));
            }
            Uni<GatewayResponse> downstream = result instanceof StepResult.Answer answer
                    ? Uni.createFrom().item(answer.response())
                    : run(index + 1, exchange);
            return downstream.chain(response -> onResponse(step, exchange, response));
        });
    }

    private static Uni<StepResult> onRequest(Step step, Exchange exchange) {
        try {
            return step.onRequest(exchange);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /** A step that fails on the way out must not keep the steps before it from settling what they claimed. */
    private Uni<GatewayResponse> onResponse(Step step, Exchange exchange, GatewayResponse response) {
        Uni<GatewayResponse> settled;
        try {
            settled = step.onResponse(exchange, response);
        } catch (RuntimeException e) {
            settled = Uni.createFrom().failure(e);
        }
        return settled.onFailure().recoverWithItem(failure -> {
            logUnexpected(exchange, step.name() + " (on the way out)", failure);
            return response;
        });
    }

    /** Metrics never change an answer already audited: a failure here is logged, not passed on. */
    private void recordMetrics(Exchange exchange, GatewayResponse response) {
        try {
            metrics.record(exchange, response);
        } catch (RuntimeException e) {
            logUnexpected(exchange, "metrics", e);
        }
    }

    private static GatewayResponse unaudited(Exchange exchange) {
        exchange.rejection(new Rejection("audit", AUDIT_UNAVAILABLE.error()));
        return GatewayResponse.error(AUDIT_UNAVAILABLE, exchange.correlationId());
    }

    private GatewayResponse unexpected(Exchange exchange, String stepName, Throwable failure) {
        logUnexpected(exchange, stepName, failure);
        exchange.rejection(new Rejection(stepName, GatewayError.INTERNAL_ERROR));
        return GatewayResponse.error(StepResult.internalError(), exchange.correlationId());
    }

    private static void logUnexpected(Exchange exchange, String stepName, Throwable failure) {
        // Only the exception's class and where it was thrown: third-party messages may quote request data.
        StackTraceElement origin = failure.getStackTrace().length > 0 ? failure.getStackTrace()[0] : null;
        LOG.errorf(
                "Step %s failed unexpectedly (correlation id %s): %s at %s",
                stepName, exchange.correlationId(), failure.getClass().getName(), origin);
    }
}
