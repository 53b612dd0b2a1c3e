package io.tokengateway.upstream;

import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;
import io.tokengateway.flow.GatewayRequest;
import io.tokengateway.merchant.Merchant;

/**
 * One call to the provider for a request, on the merchant's {@link CustomerTokenApi} client: the operation
 * picks the method, the token, idempotency key and raw body are all the request contributes. Answers of
 * every status come back as a {@link ProviderAnswer}; failures as {@link ProviderFailures normalised}.
 * Cancelling the returned {@code Uni} resets the HTTP request.
 */
@Singleton
public class ProviderClient {

    private static final byte[] NO_BODY = new byte[0];

    private final ProviderClients clients;

    ProviderClient(ProviderClients clients) {
        this.clients = clients;
    }

    Uni<ProviderAnswer> send(Merchant merchant, GatewayRequest request) {
        return Uni.createFrom()
                .deferred(() -> call(clients.of(merchant), request))
                .map(ProviderClient::answer)
                .onFailure()
                .transform(ProviderFailures::normalise);
    }

    private static Uni<Response> call(CustomerTokenApi api, GatewayRequest request) {
        String token = request.customerToken();
        String key = request.idempotencyKey();
        return switch (request.operation()) {
            case READ_TOKEN -> api.readCustomerToken(token, key);
            case CREATE_ORDER -> api.createOrder(token, key, request.body());
            case CANCEL_TOKEN -> api.patchCustomerToken(token, key, request.body());
        };
    }

    /** The answer with its body as bytes; the client read the body whole before handing the answer over. */
    private static ProviderAnswer answer(Response response) {
        byte[] body = response.hasEntity() ? response.readEntity(byte[].class) : null;
        return new ProviderAnswer(response.getStatus(), response.getStringHeaders(), body == null ? NO_BODY : body);
    }
}
