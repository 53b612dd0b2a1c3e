package io.tokengateway.api;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.jboss.resteasy.reactive.RestResponse;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.tokengateway.pipeline.Exchange;
import io.tokengateway.pipeline.GatewayRequest;
import io.tokengateway.pipeline.GatewayResponse;
import io.tokengateway.pipeline.Operation;
import io.tokengateway.pipeline.RequestPipeline;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * The caller-facing API: the provider's own three paths, so a client changes only its base URL and
 * credentials. Each method only gathers what was sent into a {@link GatewayRequest} and hands it to
 * the {@link RequestPipeline}; every decision is made there. Runs on the event loop.
 *
 * <p>Bodies are taken as {@code byte[]}, the one type the REST layer reads as raw bytes whatever the
 * content type: the exact bytes are what is validated, fingerprinted and forwarded.
 */
@Path("/customer-token/v1/tokens/{customerToken}")
public class TokenResource {

    static final String CORRELATION_ID = "X-Correlation-Id";

    private final RequestPipeline pipeline;
    private final CurrentIdentityAssociation identity;

    TokenResource(RequestPipeline pipeline, CurrentIdentityAssociation identity) {
        this.pipeline = pipeline;
        this.identity = identity;
    }

    @GET
    public Uni<RestResponse<Buffer>> readToken(@PathParam("customerToken") String customerToken, HttpServerRequest http) {
        return handle(Operation.READ_TOKEN, customerToken, http, Buffer.buffer());
    }

    @POST
    @Path("/order")
    public Uni<RestResponse<Buffer>> createOrder(@PathParam("customerToken") String customerToken, HttpServerRequest http,
            byte[] body) {
        return handle(Operation.CREATE_ORDER, customerToken, http, raw(body));
    }

    @PATCH
    @Path("/status")
    public Uni<RestResponse<Buffer>> cancelToken(@PathParam("customerToken") String customerToken, HttpServerRequest http,
            byte[] body) {
        return handle(Operation.CANCEL_TOKEN, customerToken, http, raw(body));
    }

    private Uni<RestResponse<Buffer>> handle(Operation operation, String customerToken, HttpServerRequest http, Buffer body) {
        long start = System.nanoTime();
        String correlationHeader = http.getHeader(CORRELATION_ID);
        String correlationId = correlationIdFor(correlationHeader);
        String idempotencyKey = http.getHeader("Klarna-Idempotency-Key");
        if (idempotencyKey == null) {
            idempotencyKey = http.getHeader("Idempotency-Key");
        }
        GatewayRequest request = new GatewayRequest(operation, customerToken, http.getHeader("X-Merchant-Id"),
                idempotencyKey, correlationHeader, correlationId, http.getHeader("Content-Type"),
                body, identity.getDeferredIdentity());
        return pipeline.handle(new Exchange(request, start))
                .map(response -> toRest(response, correlationId));
    }

    private static Buffer raw(byte[] body) {
        return body == null ? Buffer.buffer() : Buffer.buffer(body);
    }

    /** The caller's correlation id when well-formed, else a fresh one (the syntax step rejects the malformed). */
    static String correlationIdFor(String header) {
        return header != null && RequestSyntaxStep.isCorrelationId(header) ? header : UUID.randomUUID().toString();
    }

    static RestResponse<Buffer> toRest(GatewayResponse response, String correlationId) {
        RestResponse.ResponseBuilder<Buffer> builder = RestResponse.ResponseBuilder.create(response.status());
        response.headers().forEach(builder::header);
        builder.header(CORRELATION_ID, correlationId);
        if (response.body().length() > 0) {
            builder.entity(response.body());
        }
        return builder.build();
    }
}
