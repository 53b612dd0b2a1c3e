package io.tokengateway.api;

import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * Only the API's own methods reach a resource. JAX-RS would otherwise answer {@code HEAD} by running the
 * {@code GET} method (a provider call whose answer is thrown away) and {@code OPTIONS} with a 200 of its
 * own; here every other method is a 404 {@code NOT_FOUND} like any other request outside the API.
 */
public class MethodAllowList {

    private static final Set<String> API_METHODS = Set.of("GET", "POST", "PATCH");

    private final UnmatchedRequestMappers answers;

    MethodAllowList(UnmatchedRequestMappers answers) {
        this.answers = answers;
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<RestResponse<Buffer>> onlyApiMethods(ContainerRequestContext request) {
        if (API_METHODS.contains(request.getMethod())) {
            return Uni.createFrom().nullItem(); // continue to the resource
        }
        return answers.notAnOperation(request.getHeaderString(TokenResource.CORRELATION_ID));
    }
}
