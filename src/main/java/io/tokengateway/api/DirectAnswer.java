package io.tokengateway.api;

import java.util.List;

import io.tokengateway.error.ErrorBody;
import io.tokengateway.error.GatewayError;
import io.vertx.core.http.HttpServerResponse;

/** A provider-shaped error written straight to the HTTP response, for answers made before any resource runs. */
final class DirectAnswer {

    private DirectAnswer() {
    }

    static void send(HttpServerResponse response, GatewayError error, String message, String correlationId) {
        response.setStatusCode(error.status())
                .putHeader("Content-Type", "application/json")
                .putHeader(TokenResource.CORRELATION_ID, correlationId)
                .end(new ErrorBody(error.name(), List.of(message), correlationId).toJson());
    }
}
