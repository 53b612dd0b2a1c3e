package io.tokengateway.flow;

import io.smallrye.mutiny.Uni;

/**
 * One concern of the request flow, in the manner of an HTTP filter: it sees the request on the way
 * in and, if it let it pass, the response on the way out.
 *
 * <p>On the way in a step completes with a {@link StepResult}: {@link StepResult.Continue continue} to the
 * next step, {@link StepResult.Answer answer} the request itself (a replay, the provider's answer), or
 * {@link StepResult.Reject reject} it with one of the gateway's errors. A failed {@code Uni} is a bug, never
 * a decision: the pipeline answers it with 500 {@code INTERNAL_ERROR}.
 *
 * <p>On the way out, every step whose {@link #onRequest} continued or answered sees the response, in
 * reverse order, and may replace it; that is where a step settles what it claimed (a key, an amount).
 * The way out runs whatever the caller does: a caller that hangs up cancels nothing.
 *
 * <p>Steps run on the event loop: they never block, they only compose {@link Uni}s. Steps know the
 * {@code flow} package and their own concern, never the pipeline that assembles them.
 */
public interface Step {

    /** Short name of the step, used in audit records and metrics (for example {@code authorize}). */
    String name();

    /** Handles the request on its way in. */
    Uni<StepResult> onRequest(Exchange exchange);

    /** Handles the response on its way out. The default passes it through unchanged. */
    default Uni<GatewayResponse> onResponse(Exchange exchange, GatewayResponse response) {
        return Uni.createFrom().item(response);
    }
}
