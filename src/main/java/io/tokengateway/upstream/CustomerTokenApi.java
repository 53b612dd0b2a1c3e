package io.tokengateway.upstream;

import java.io.Closeable;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/**
 * The provider's Customer Token API v1, as the gateway calls it: the three operations of the provider's
 * OpenAPI description ({@code readCustomerToken}, {@code createOrder}, {@code patchCustomerToken}), for
 * Quarkus REST Client Reactive. One client per merchant is built from this interface by
 * {@link ProviderClients}; the merchant's credentials are added by {@link MerchantAuthorization}.
 *
 * <p>Bodies are raw bytes both ways, forwarded exactly as the caller sent them and passed back exactly as
 * the provider answered. Every answer, whatever its status, comes back whole as a {@link Response} (its body
 * already read into memory): the clients are built without the default exception mapper, so a 4xx or 5xx is
 * an answer, not a failure. An untyped {@code Response} rather than {@code RestResponse<byte[]>}: the client
 * converts only a 2xx body to a declared type, and reads every status's body alike from a {@code Response}.
 *
 * <p>The idempotency key is sent whenever the caller gave one (the provider deduplicates by it); a null
 * header parameter sends no header. The token has passed the syntax check and holds only characters a
 * path segment may carry unencoded.
 */
@Path("/customer-token/v1/tokens/{customerToken}")
@Produces(MediaType.APPLICATION_JSON)
public interface CustomerTokenApi extends Closeable {

    String IDEMPOTENCY_KEY = "Klarna-Idempotency-Key";

    @GET
    Uni<Response> readCustomerToken(
            @PathParam("customerToken") String customerToken, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey);

    @POST
    @Path("/order")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> createOrder(
            @PathParam("customerToken") String customerToken,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            byte[] order);

    @PATCH
    @Path("/status")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> patchCustomerToken(
            @PathParam("customerToken") String customerToken,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            byte[] statusUpdate);
}
