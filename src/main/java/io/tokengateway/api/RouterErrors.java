package io.tokengateway.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.tokengateway.error.GatewayError;
import io.tokengateway.pipeline.RequestPipeline;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Requests the HTTP layer itself refuses before any resource sees them (an invalid percent-encoding or
 * character in the path, say) are answered in the provider's error shape and audited like every other
 * request, instead of a bare status.
 */
@ApplicationScoped
public class RouterErrors {

    private final RequestPipeline pipeline;

    RouterErrors(RequestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::answer);
    }

    private void answer(RoutingContext context) {
        int status = context.statusCode();
        if (context.response().ended() || context.response().headWritten() || status < 400 || status >= 500) {
            context.next();
            return;
        }
        GatewayError error = status == 404
                ? GatewayError.NOT_FOUND
                : status == 413 ? GatewayError.PAYLOAD_TOO_LARGE : GatewayError.BAD_REQUEST;
        String correlationId =
                TokenResource.correlationIdFor(context.request().getHeader(TokenResource.CORRELATION_ID));
        pipeline.unmatched(correlationId, "route", error, "The request could not be read.")
                .subscribe()
                .with(answer -> DirectAnswer.send(context.response(), answer, correlationId));
    }
}
