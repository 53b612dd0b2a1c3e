package io.tokengateway.pipeline;

import io.smallrye.mutiny.Uni;

/**
 * One concern of the request flow, in the manner of an HTTP filter: it sees the request on the way
 * in and, if it let it pass, the response on the way out.
 *
 * <p>On the way in a step either
 * <ul>
 * <li>lets the request continue: completes with a null item ({@link #CONTINUE});</li>
 * <li>answers it itself (a replay, the upstream's answer): completes with a response, and no later
 * step sees the request;</li>
 * <li>rejects it: fails with a {@link io.tokengateway.error.GatewayException}, which the pipeline turns
 * into the error response and records as the exchange's {@link Rejection}.</li>
 * </ul>
 * On the way out, every step whose {@link #onRequest} completed sees the response, in reverse order,
 * and may replace it; that is where a step completes or releases what it claimed.
 *
 * <p>Steps run on the event loop: they must never block, only compose {@link Uni}s.
 */
public interface PipelineStep {

    /** The item that lets a request continue to the next step. */
    Uni<GatewayResponse> CONTINUE = Uni.createFrom().nullItem();

    /** Short name of the step, used in audit records and metrics (for example {@code authorize}). */
    String name();

    /** Handles the request on its way in; see the class comment for the three outcomes. */
    Uni<GatewayResponse> onRequest(Exchange exchange);

    /** Handles the response on its way out. The default passes it through unchanged. */
    default Uni<GatewayResponse> onResponse(Exchange exchange, GatewayResponse response) {
        return Uni.createFrom().item(response);
    }
}
