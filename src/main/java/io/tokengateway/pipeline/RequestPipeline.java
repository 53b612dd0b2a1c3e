package io.tokengateway.pipeline;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.tokengateway.api.RequestSyntaxStep;
import io.tokengateway.audit.AuditTrail;
import io.tokengateway.auth.AuthenticateStep;
import io.tokengateway.auth.AuthorizeStep;
import io.tokengateway.error.GatewayError;
import io.tokengateway.error.GatewayException;
import io.tokengateway.idempotency.IdempotencyStep;
import io.tokengateway.idempotency.KeyRequirementStep;
import io.tokengateway.limit.DailyAmountStep;
import io.tokengateway.limit.OrderPolicyStep;
import io.tokengateway.limit.RateLimitStep;
import io.tokengateway.order.OrderValidationStep;
import io.tokengateway.upstream.UpstreamForwarder;

/**
 * The request flow of DESIGN.md section 3, in one place. The order of {@link #steps} is the design:
 * cheap checks first, so that nothing touches Redis or the upstream for a request that is rejected
 * on its face; the upstream last.
 */
@ApplicationScoped
public class RequestPipeline {

    private static final Logger LOG = Logger.getLogger(RequestPipeline.class);
    private static final GatewayException AUDIT_UNAVAILABLE =
            new GatewayException(GatewayError.DEPENDENCY_UNAVAILABLE, "The gateway cannot write its audit trail.");

    private final List<PipelineStep> steps;
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
            UpstreamForwarder forward,
            AuditTrail audit,
            RequestMetrics metrics) {
        this.steps = List.of(
                syntax,         // path token, headers: well-formed or 400
                authenticate,   // bearer JWT verified by Quarkus OIDC, caller named
                authorize,      // merchant chosen, caller allowed that merchant and operation
                idempotencyKey, // create-order carries its idempotency key where the merchant requires one
                validate,       // body: schema and arithmetic as the provider checks them
                rateLimit,      // the merchant's shared request budget (Redis GCRA)
                orderLimit,     // create-order: currency allowed, per-order maximum
                idempotency,    // claim merchant + key in Redis, or replay / 409 / 422; store or release on the way out
                dailyAmount,    // create-order: reserve against the rolling 24 h total; refund if no order was made
                forward);       // credentials injected, upstream called, its answer passed back
        this.audit = audit;     // and after all of them, whatever happened: one audit record
        this.metrics = metrics;
    }

    /**
     * Runs the request through every step and writes its audit record; always completes with a response,
     * never with a failure, so every request gets exactly one record whatever happened.
     */
    public Uni<GatewayResponse> handle(Exchange exchange) {
        // A gateway that cannot write its audit trail does not act: it answers 503 until the trail writes again.
        Uni<GatewayResponse> outcome = audit.accepting() ? run(0, exchange)
                : Uni.createFrom().item(() -> reject(exchange, "audit", AUDIT_UNAVAILABLE));
        return outcome
                .onFailure().recoverWithItem(failure -> unexpected(exchange, "response", failure))
                // The answer leaves only once its record is flushed; a record that could not be written turns it into a 503.
                .chain(response -> audit.record(exchange, response).replaceWith(response)
                        .onFailure().recoverWithItem(failure -> reject(exchange, "audit", failure)))
                .invoke(response -> metrics.record(exchange, response));
    }

    private Uni<GatewayResponse> run(int index, Exchange exchange) {
        if (index == steps.size()) {
            // The last step is the forwarder, which always answers; reaching here is a wiring bug.
            return Uni.createFrom().failure(new IllegalStateException("no step answered the request"));
        }
        PipelineStep step = steps.get(index);
        return invoke(step, exchange).onItemOrFailure().transformToUni((early, failure) -> {
            if (failure != null) {
                return Uni.createFrom().item(reject(exchange, step.name(), failure));
            }
            Uni<GatewayResponse> downstream = early != null
                    ? Uni.createFrom().item(early)
                    : run(index + 1, exchange);
            return downstream.chain(response -> step.onResponse(exchange, response));
        });
    }

    private static Uni<GatewayResponse> invoke(PipelineStep step, Exchange exchange) {
        try {
            return step.onRequest(exchange);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }

    private GatewayResponse reject(Exchange exchange, String stepName, Throwable failure) {
        if (failure instanceof GatewayException rejection) {
            exchange.rejection(new Rejection(stepName, rejection.error()));
            return GatewayResponse.error(rejection, exchange.correlationId());
        }
        return unexpected(exchange, stepName, failure);
    }

    private GatewayResponse unexpected(Exchange exchange, String stepName, Throwable failure) {
        // Only the exception's class and where it was thrown: third-party messages may quote request data.
        StackTraceElement origin = failure.getStackTrace().length > 0 ? failure.getStackTrace()[0] : null;
        LOG.errorf("Step %s failed unexpectedly (correlation id %s): %s at %s",
                stepName, exchange.correlationId(), failure.getClass().getName(), origin);
        GatewayException internal = new GatewayException(GatewayError.INTERNAL_ERROR, "The gateway failed to handle the request.");
        exchange.rejection(new Rejection(stepName, GatewayError.INTERNAL_ERROR));
        return GatewayResponse.error(internal, exchange.correlationId());
    }
}
