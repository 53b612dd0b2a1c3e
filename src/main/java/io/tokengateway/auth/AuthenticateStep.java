package io.tokengateway.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.Step;
import io.tokengateway.flow.StepResult;

/**
 * Authentication: who is calling. Quarkus OIDC verifies the bearer JWT (JWKS signature, issuer, audience,
 * expiry) when the request's deferred identity is resolved; this step turns the outcome into a
 * {@link Caller} or a 401 with {@code WWW-Authenticate: Bearer}. A token verified before and not yet
 * expired is recognised by {@link VerifiedTokens} and not verified again.
 */
@Singleton
public class AuthenticateStep implements Step {

    private static final Logger LOG = Logger.getLogger(AuthenticateStep.class);

    private final List<String> callerClaims;
    private final VerifiedTokens verified;

    AuthenticateStep(GatewayConfig config, VerifiedTokens verified) {
        this.callerClaims = List.copyOf(config.callerClaims());
        this.verified = verified;
    }

    @Override
    public String name() {
        return "authenticate";
    }

    @Override
    public Uni<StepResult> onRequest(Exchange exchange) {
        Optional<Caller> known = verified.lookup(exchange.request().credential());
        if (known.isPresent()) {
            exchange.establish(Caller.FACT, known.get());
            return StepResult.proceed();
        }
        return exchange.request()
                .identity()
                .map(identity -> callerOf(exchange, identity))
                .onFailure()
                .recoverWithItem(failure -> {
                    // Never the failure's message: it may describe the token's content.
                    LOG.debugf(
                            "Bearer token rejected (correlation id %s): %s",
                            exchange.correlationId(), failure.getClass().getSimpleName());
                    return unauthorized(
                            "invalid_token", "The bearer token is invalid, expired, or not meant for this gateway.");
                });
    }

    private StepResult callerOf(Exchange exchange, SecurityIdentity identity) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return unauthorized(null, "A bearer token is required.");
        }
        for (String claim : callerClaims) {
            String value = claimText(token.getClaim(claim));
            if (value != null && !value.isBlank()) {
                Caller caller = new Caller(value);
                TokenCredential verifiedToken = identity.getCredential(TokenCredential.class);
                verified.remember(
                        exchange.request().credential(),
                        verifiedToken == null ? null : verifiedToken.getToken(),
                        caller,
                        expiryOf(token),
                        System.currentTimeMillis());
                exchange.establish(Caller.FACT, caller);
                return StepResult.CONTINUE;
            }
        }
        return unauthorized(
                "invalid_token", "The bearer token names no caller (expected one of the claims " + callerClaims + ").");
    }

    /** The token's {@code exp} in epoch seconds, 0 when it has none. */
    private static long expiryOf(JsonWebToken token) {
        Object exp = token.getClaim("exp");
        if (exp instanceof Number number) {
            return number.longValue();
        }
        if (exp instanceof jakarta.json.JsonNumber number) {
            return number.longValue();
        }
        return 0;
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

    private static StepResult.Reject unauthorized(String errorCode, String message) {
        String challenge = errorCode == null ? "Bearer" : "Bearer error=\"" + errorCode + "\"";
        return new StepResult.Reject(
                GatewayError.UNAUTHORIZED, List.of(message), Map.of("WWW-Authenticate", challenge));
    }
}
