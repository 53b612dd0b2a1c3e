package io.tokengateway.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.tokengateway.config.GatewayConfig;
import io.tokengateway.error.GatewayError;
import io.tokengateway.pipeline.RequestPipeline;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Turns away a request whose declared {@code Content-Length} is over {@code gateway.max-body-size}
 * before a byte of its body is read: 413 {@code PAYLOAD_TOO_LARGE} in the provider's error shape.
 * A chunked body without a length is cut off by the HTTP layer at the same limit
 * ({@code quarkus.http.limits.max-body-size} follows {@code gateway.max-body-size}).
 */
@ApplicationScoped
public class BodySizeLimit {

    private final long maxBytes;
    private final RequestPipeline pipeline;

    BodySizeLimit(GatewayConfig config, RequestPipeline pipeline) {
        this.maxBytes = config.maxBodySize().asLongValue();
        this.pipeline = pipeline;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        if (length != null && declaredLength(length) > maxBytes) {
            String correlationId =
                    TokenResource.correlationIdFor(context.request().getHeader(TokenResource.CORRELATION_ID));
            // The body is not read: close the connection rather than drain it.
            context.response().putHeader("Connection", "close");
            pipeline.unmatched(
                            correlationId,
                            "body-size",
                            GatewayError.PAYLOAD_TOO_LARGE,
                            "The request body is larger than " + maxBytes + " bytes.")
                    .subscribe()
                    .with(answer -> DirectAnswer.send(context.response(), answer, correlationId));
            return;
        }
        context.next();
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1; // malformed: the HTTP layer rejects it
        }
    }
}
