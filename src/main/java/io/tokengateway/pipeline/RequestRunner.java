package io.tokengateway.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.Rejection;
import io.tokengateway.flow.Step;
import io.tokengateway.flow.StepResult;

/**
 * Runs a request through a list of steps: each step's {@code onRequest} in order until one rejects or answers,
 * then the {@code onResponse} of every step that let it in, in reverse; then, whatever happened, one audit record
 * and the request's metrics. It knows nothing of which steps there are: {@link RequestPipeline} assembles them.
 *
 * <p>A request always runs to its end. The caller hanging up cancels its wait for the answer, never the work: an
 * order already on its way to the provider is finished, its answer stored or its key released, its amount
 * committed or refunded, and the request audited, exactly as if the caller had waited.
 */
public final class RequestRunner {

    private static final Logger LOG = Logger.getLogger(RequestRunner.class);
    static final StepResult.Reject AUDIT_UNAVAILABLE =
            new StepResult.Reject(GatewayError.DEPENDENCY_UNAVAILABLE, "The gateway cannot write its audit trail.");

    private final InFlightRequests inFlight = new InFlightRequests();
    private final List<Step> steps;
    private final RequestAudit audit;
    private final RequestMetrics metrics;

    public RequestRunner(List<Step> steps, RequestAudit audit, RequestMetrics metrics) {
        this.steps = List.copyOf(steps);
        this.audit = audit;
        this.metrics = metrics;
    }

    /**
     * Runs the request through every step, audits it and records its metrics. The work starts now and runs to
     * its end whoever waits for it: cancelling the returned {@code Uni} (a caller that hung up) only stops the
     * wait. Never fails: every outcome is an answer.
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

    /** Blocks (shutdown only, never the event loop) until no request is in flight; false when patience ran out. */
    boolean awaitNone(Duration patience) {
        return inFlight.awaitNone(patience);
    }

    int inFlight() {
        return inFlight.count();
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

    private static GatewayResponse unexpected(Exchange exchange, String stepName, Throwable failure) {
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
