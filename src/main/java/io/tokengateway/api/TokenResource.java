package io.tokengateway.api;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.tokengateway.flow.CallerCredential;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayRequest;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.Operation;
import io.tokengateway.pipeline.RequestPipeline;
import io.tokengateway.syntax.RequestSyntaxStep;
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
@Tag(name = "Customer Token", description = "The provider's three operations, behind the gateway's policies")
@APIResponse(
        responseCode = "400",
        description = "BAD_REQUEST, BAD_VALUE, MERCHANT_REQUIRED, IDEMPOTENCY_KEY_REQUIRED, BAD_IDEMPOTENCY_KEY")
@APIResponse(responseCode = "401", description = "UNAUTHORIZED")
@APIResponse(
        responseCode = "403",
        description = "FORBIDDEN, AMOUNT_LIMIT_EXCEEDED, CURRENCY_NOT_ALLOWED, or the provider's own 403")
@APIResponse(responseCode = "409", description = "IDEMPOTENCY_KEY_IN_USE")
@APIResponse(responseCode = "413", description = "PAYLOAD_TOO_LARGE")
@APIResponse(responseCode = "422", description = "IDEMPOTENCY_KEY_REUSED")
@APIResponse(responseCode = "429", description = "RATE_LIMITED, UPSTREAM_RATE_LIMITED")
@APIResponse(responseCode = "502", description = "UPSTREAM_ERROR, UPSTREAM_AUTH_FAILED")
@APIResponse(responseCode = "503", description = "UPSTREAM_UNAVAILABLE, DEPENDENCY_UNAVAILABLE")
@APIResponse(responseCode = "504", description = "UPSTREAM_TIMEOUT")
public class TokenResource {

    static final String CORRELATION_ID = "X-Correlation-Id";
    private static final byte[] NO_BODY = new byte[0];
    private static final String MERCHANT_HEADER = "Merchant to act for; required when the caller may use several";
    private static final String CORRELATION_HEADER = "Optional; generated when absent, echoed on every answer";

    private final RequestPipeline pipeline;
    private final CurrentIdentityAssociation identity;

    TokenResource(RequestPipeline pipeline, CurrentIdentityAssociation identity) {
        this.pipeline = pipeline;
        this.identity = identity;
    }

    @GET
    @Parameter(name = "X-Merchant-Id", in = ParameterIn.HEADER, description = MERCHANT_HEADER)
    @Parameter(name = "X-Correlation-Id", in = ParameterIn.HEADER, description = CORRELATION_HEADER)
    @org.eclipse.microprofile.openapi.annotations.Operation(
            operationId = "read-token",
            summary = "Read a customer token (status and payment method)")
    @APIResponse(responseCode = "200", description = "The provider's token details, passed through")
    public Uni<RestResponse<Buffer>> readToken(
            @PathParam("customerToken") String customerToken, HttpServerRequest http) {
        return handle(Operation.READ_TOKEN, customerToken, http, NO_BODY);
    }

    @POST
    @Path("/order")
    @Parameter(name = "X-Merchant-Id", in = ParameterIn.HEADER, description = MERCHANT_HEADER)
    @Parameter(name = "X-Correlation-Id", in = ParameterIn.HEADER, description = CORRELATION_HEADER)
    @org.eclipse.microprofile.openapi.annotations.Operation(
            operationId = "create-order",
            summary = "Create an order with a customer token")
    @Parameter(
            name = "Klarna-Idempotency-Key",
            in = ParameterIn.HEADER,
            description = "1-255 printable ASCII "
                    + "characters; required unless the merchant's policy says otherwise (alias: Idempotency-Key)")
    @RequestBody(
            content = @Content(mediaType = "application/json"),
            required = true,
            description = "The provider's customer_token_order, forwarded byte for byte after validation")
    @APIResponse(
            responseCode = "200",
            description = "The provider's order, passed through (replays carry Idempotent-Replayed: true)")
    public Uni<RestResponse<Buffer>> createOrder(
            @PathParam("customerToken") String customerToken, HttpServerRequest http, byte[] body) {
        return handle(Operation.CREATE_ORDER, customerToken, http, raw(body));
    }

    @PATCH
    @Path("/status")
    @Parameter(name = "X-Merchant-Id", in = ParameterIn.HEADER, description = MERCHANT_HEADER)
    @Parameter(name = "X-Correlation-Id", in = ParameterIn.HEADER, description = CORRELATION_HEADER)
    @org.eclipse.microprofile.openapi.annotations.Operation(
            operationId = "cancel-token",
            summary = "Cancel a customer token")
    @RequestBody(
            content = @Content(mediaType = "application/json"),
            required = true,
            description = "Exactly {\"status\":\"CANCELLED\"}")
    @APIResponse(responseCode = "202", description = "Accepted by the provider")
    public Uni<RestResponse<Buffer>> cancelToken(
            @PathParam("customerToken") String customerToken, HttpServerRequest http, byte[] body) {
        return handle(Operation.CANCEL_TOKEN, customerToken, http, raw(body));
    }

    private Uni<RestResponse<Buffer>> handle(
            Operation operation, String customerToken, HttpServerRequest http, byte[] body) {
        long start = System.nanoTime();
        String correlationHeader = http.getHeader(CORRELATION_ID);
        String correlationId = correlationIdFor(correlationHeader);
        String idempotencyKey = http.getHeader("Klarna-Idempotency-Key");
        if (idempotencyKey == null) {
            idempotencyKey = http.getHeader("Idempotency-Key");
        }
        GatewayRequest request = new GatewayRequest(
                operation,
                http.path(),
                customerToken,
                http.getHeader("X-Merchant-Id"),
                idempotencyKey,
                correlationHeader,
                correlationId,
                http.getHeader("Content-Type"),
                body,
                CallerCredential.of(http.getHeader("Authorization")),
                identity.getDeferredIdentity());
        return pipeline.handle(new Exchange(request, start)).map(response -> toRest(response, correlationId));
    }

    private static byte[] raw(byte[] body) {
        return body == null ? NO_BODY : body;
    }

    /** The caller's correlation id when well-formed, else a fresh one (the syntax step rejects the malformed). */
    static String correlationIdFor(String header) {
        return header != null && RequestSyntaxStep.isCorrelationId(header)
                ? header
                : UUID.randomUUID().toString();
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
