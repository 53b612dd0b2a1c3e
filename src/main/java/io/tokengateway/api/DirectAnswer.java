package io.tokengateway.api;

import java.util.List;

import io.tokengateway.error.ErrorBody;
import io.tokengateway.error.GatewayError;
import io.vertx.core.http.HttpServerResponse;

/** A provider-shaped error written straight to the HTTP response, for answers made before any resource runs. */
final class DirectAnswer {

    private DirectAnswer() {
    }

    /** The answer when the request's audit record could not be written. */
    static void auditUnavailable(HttpServerResponse response, String correlationId) {
        send(response, GatewayError.DEPENDENCY_UNAVAILABLE, "The gateway cannot write its audit trail.", correlationId);
    }

    static void send(HttpServerResponse response, GatewayError error, String message, String correlationId) {
        if (response.ended() || response.closed()) {
            return; // the caller went away while its record was written
        }
        response.setStatusCode(error.status())
                .putHeader("Content-Type", "application/json")
                .putHeader(TokenResource.CORRELATION_ID, correlationId)
                .end(new ErrorBody(error.name(), List.of(message), correlationId).toJson());
    }
}
