package io.tokengateway.api;

import io.tokengateway.flow.GatewayResponse;
import io.vertx.core.http.HttpServerResponse;

/** An answer written straight to the HTTP response, for answers made before any resource runs. */
final class DirectAnswer {

    private DirectAnswer() {}

    static void send(HttpServerResponse http, GatewayResponse response, String correlationId) {
        if (http.ended() || http.closed()) {
            return; // the caller went away while its record was written
        }
        http.setStatusCode(response.status());
        response.headers().forEach(http::putHeader);
        http.putHeader(TokenResource.CORRELATION_ID, correlationId).end(response.body());
    }
}
