package io.tokengateway.auth;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.error.GatewayError;
import io.tokengateway.error.GatewayException;
import io.tokengateway.pipeline.Exchange;
import io.tokengateway.pipeline.GatewayResponse;
import io.tokengateway.pipeline.PipelineStep;

/**
 * Step 1: who is calling. Quarkus OIDC verifies the bearer JWT (JWKS signature, issuer, audience,
 * expiry) when the request's deferred identity is resolved; this step turns the outcome into a
 * {@link Caller} or a 401 with {@code WWW-Authenticate: Bearer}.
 */
@ApplicationScoped
public class AuthenticateStep implements PipelineStep {

    private static final Logger LOG = Logger.getLogger(AuthenticateStep.class);

    private final List<String> callerClaims;

    AuthenticateStep(GatewayConfig config) {
        this.callerClaims = List.copyOf(config.callerClaims());
    }

    @Override
    public String name() {
        return "authenticate";
    }

    @Override
    public Uni<GatewayResponse> onRequest(Exchange exchange) {
        return exchange.request().identity()
                .onFailure().transform(failure -> {
                    // Never the failure's message: it may describe the token's content.
                    LOG.debugf("Bearer token rejected (correlation id %s): %s",
                            exchange.correlationId(), failure.getClass().getSimpleName());
                    return unauthorized("invalid_token", "The bearer token is invalid, expired, or not meant for this gateway.");
                })
                .map(identity -> {
                    exchange.caller(callerOf(identity));
                    return null;
                });
    }

    private Caller callerOf(SecurityIdentity identity) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            throw unauthorized(null, "A bearer token is required.");
        }
        for (String claim : callerClaims) {
            String value = claimText(token.getClaim(claim));
            if (value != null && !value.isBlank()) {
                return new Caller(value);
            }
        }
        throw unauthorized("invalid_token", "The bearer token names no caller (expected one of the claims " + callerClaims + ").");
    }

    private static String claimText(Object claim) {
        if (claim instanceof String text) {
            return text;
        }
        if (claim instanceof JsonString json) {
            return json.getString();
        }
        return null;
    }

    private static GatewayException unauthorized(String errorCode, String message) {
        String challenge = errorCode == null ? "Bearer" : "Bearer error=\"" + errorCode + "\"";
        return new GatewayException(GatewayError.UNAUTHORIZED, List.of(message), Map.of("WWW-Authenticate", challenge));
    }
}
