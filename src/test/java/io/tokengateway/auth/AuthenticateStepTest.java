package io.tokengateway.auth;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.StepResult;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.tokengateway.flow.testkit.TestConfig;

/** The step's part only: the token itself is verified by Quarkus OIDC (see AuthenticationTest). */
class AuthenticateStepTest {

    private final VerifiedTokens verified =
            new VerifiedTokens(TestConfig.gateway().auth().tokenCache(), new SimpleMeterRegistry(), System::nanoTime);
    private final AuthenticateStep step = new AuthenticateStep(TestConfig.gateway(), verified);

    @Test
    void aTokenVerifiedOnceIsRecognisedWithoutVerifyingItAgain() {
        Exchange first = ExchangeBuilder.readToken()
                .authorization("Bearer eyJ.billing.sig")
                .identity(verified("eyJ.billing.sig", Map.of("azp", "billing", "exp", nowSeconds() + 300)))
                .build();
        assertThat(step.onRequest(first)).continues();

        Exchange again = ExchangeBuilder.readToken()
                .authorization("Bearer eyJ.billing.sig")
                .identity(Uni.createFrom().failure(new AssertionError("verified a second time")))
                .build();
        assertThat(step.onRequest(again)).continues();
        assertEquals("billing", again.require(Caller.FACT).id());
    }

    @Test
    void anotherTokenIsVerifiedAndARefusedOneIsNeverRemembered() {
        Exchange refused = ExchangeBuilder.readToken()
                .authorization("Bearer eyJ.forged.sig")
                .identity(Uni.createFrom().failure(new AuthenticationFailedException("bad signature")))
                .build();
        assertThat(step.onRequest(refused)).rejectsWith(GatewayError.UNAUTHORIZED);

        Exchange again = ExchangeBuilder.readToken()
                .authorization("Bearer eyJ.forged.sig")
                .identity(Uni.createFrom().failure(new AuthenticationFailedException("bad signature")))
                .build();
        assertThat(step.onRequest(again)).rejectsWith(GatewayError.UNAUTHORIZED);
    }

    @Test
    void anExpiredTokenIsNotRemembered() {
        Exchange first = ExchangeBuilder.readToken()
                .authorization("Bearer eyJ.old.sig")
                .identity(verified("eyJ.old.sig", Map.of("azp", "billing", "exp", nowSeconds() - 1)))
                .build();
        assertThat(step.onRequest(first)).continues();

        Exchange again = ExchangeBuilder.readToken()
                .authorization("Bearer eyJ.old.sig")
                .identity(Uni.createFrom().failure(new AuthenticationFailedException("expired")))
                .build();
        assertThat(step.onRequest(again)).rejectsWith(GatewayError.UNAUTHORIZED);
    }

    @Test
    void aTokenQuarkusTookFromAnotherHeaderIsNeverRememberedUnderThisOne() {
        // quarkus.oidc.token.header names another header: what Authorization carries was never verified.
        Exchange first = ExchangeBuilder.readToken()
                .authorization("Bearer chosen-by-anyone")
                .identity(verified("eyJ.forwarded.sig", Map.of("azp", "billing", "exp", nowSeconds() + 300)))
                .build();
        assertThat(step.onRequest(first)).continues();

        Exchange again = ExchangeBuilder.readToken()
                .authorization("Bearer chosen-by-anyone")
                .identity(Uni.createFrom().failure(new AuthenticationFailedException("no token")))
                .build();
        assertThat(step.onRequest(again)).rejectsWith(GatewayError.UNAUTHORIZED);
    }

    @Test
    void aTokenWithoutOrWithAFarFutureExpiryStillAuthenticates() {
        assertThat(step.onRequest(ExchangeBuilder.readToken()
                        .authorization("Bearer eyJ.no-exp.sig")
                        .identity(verified("eyJ.no-exp.sig", Map.of("azp", "billing")))
                        .build()))
                .continues();
        assertThat(step.onRequest(ExchangeBuilder.readToken()
                        .authorization("Bearer eyJ.far.sig")
                        .identity(verified("eyJ.far.sig", Map.of("azp", "billing", "exp", 253_402_300_799L)))
                        .build()))
                .continues();
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    @Test
    void theCallerIsTheFirstPresentConfiguredClaim() {
        Exchange exchange = ExchangeBuilder.readToken()
                .identity(tokenWith(Map.of("client_id", "billing", "sub", "svc-1")))
                .build();
        assertThat(step.onRequest(exchange)).continues();
        assertEquals("billing", exchange.require(Caller.FACT).id());
    }

    @Test
    void noTokenIs401WithABareChallenge() {
        SecurityIdentity anonymous = QuarkusSecurityIdentity.builder()
                .setAnonymous(true)
                .setPrincipal(new QuarkusPrincipal(""))
                .build();
        StepResult.Reject reject = assertThat(step.onRequest(ExchangeBuilder.readToken()
                        .identity(Uni.createFrom().item(anonymous))
                        .build()))
                .rejectsWith(GatewayError.UNAUTHORIZED);
        assertEquals("Bearer", reject.headers().get("WWW-Authenticate"));
    }

    @Test
    void aTokenOidcRefusedIs401WithoutItsReason() {
        StepResult.Reject reject = assertThat(step.onRequest(ExchangeBuilder.readToken()
                        .identity(Uni.createFrom()
                                .failure(new AuthenticationFailedException("signature of eyJhbGciOi... invalid")))
                        .build()))
                .rejectsWith(GatewayError.UNAUTHORIZED);
        assertEquals("Bearer error=\"invalid_token\"", reject.headers().get("WWW-Authenticate"));
        assertEquals(false, reject.messages().toString().contains("eyJ"));
    }

    @Test
    void aTokenNamingNoCallerIs401() {
        assertThat(step.onRequest(ExchangeBuilder.readToken()
                        .identity(tokenWith(Map.of("scope", "x")))
                        .build()))
                .rejectsWith(GatewayError.UNAUTHORIZED);
    }

    /** As Quarkus OIDC hands it over: the principal, and the raw token it verified as the credential. */
    private static Uni<SecurityIdentity> verified(String rawToken, Map<String, Object> claims) {
        JwtClaims jwt = new JwtClaims();
        claims.forEach(jwt::setClaim);
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new DefaultJWTCallerPrincipal(rawToken, "JWT", jwt))
                        .addCredential(new TokenCredential(rawToken, "bearer"))
                        .build());
    }

    private static Uni<SecurityIdentity> tokenWith(Map<String, Object> claims) {
        JwtClaims jwt = new JwtClaims();
        claims.forEach(jwt::setClaim);
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new DefaultJWTCallerPrincipal("raw", "JWT", jwt))
                        .build());
    }
}
