package io.tokengateway.upstream;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

import io.tokengateway.merchant.Credentials;

/**
 * Adds one merchant's {@code Authorization: Basic} to every call of that merchant's client. Registered on
 * that client only, so the credentials never meet another merchant's calls; it replaces, never adds to,
 * whatever the header held.
 */
final class MerchantAuthorization implements ClientRequestFilter {

    private final Credentials credentials;

    MerchantAuthorization(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void filter(ClientRequestContext request) {
        request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, credentials.authorizationHeader());
    }
}
