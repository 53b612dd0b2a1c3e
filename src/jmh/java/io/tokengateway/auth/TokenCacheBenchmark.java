package io.tokengateway.auth;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokengateway.bench.BenchmarkDefaults;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.flow.CallerCredential;

/**
 * A bearer token recognised from the verified-token cache against what verifying it costs (jose4j, as
 * Quarkus OIDC uses it: RS256 signature, issuer, audience, expiry), measured in the same run. The
 * credential is built from the header on each call, as the API layer does for every request.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TokenCacheBenchmark extends BenchmarkDefaults {

    private String header;
    private String jwt;
    private JwtConsumer consumer;
    private VerifiedTokens cache;

    @Setup
    public void signAndRemember() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("https://issuer.example");
        claims.setAudience("tokengateway");
        claims.setClaim("azp", "orders-team");
        claims.setSubject("svc-orders-team");
        claims.setExpirationTimeMinutesInTheFuture(60);
        claims.setIssuedAtToNow();
        claims.setGeneratedJwtId();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(keys.getPrivate());
        jws.setKeyIdHeaderValue("1");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jwt = jws.getCompactSerialization();
        header = "Bearer " + jwt;
        consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setExpectedIssuer("https://issuer.example")
                .setExpectedAudience("tokengateway")
                .setVerificationKey(keys.getPublic())
                .build();
        cache = new VerifiedTokens(
                new GatewayConfig.TokenCacheConfig() {
                    @Override
                    public int maxEntries() {
                        return 10_000;
                    }

                    @Override
                    public Duration maxAge() {
                        return Duration.ofMinutes(5);
                    }
                },
                new SimpleMeterRegistry(),
                System::nanoTime);
        cache.remember(
                CallerCredential.of(header),
                jwt,
                new Caller("orders-team"),
                claims.getExpirationTime().getValue(),
                System.currentTimeMillis());
    }

    @Benchmark
    public Optional<Caller> cacheHit() {
        return cache.lookup(CallerCredential.of(header));
    }

    @Benchmark
    public JwtClaims baselineVerifyToken() throws Exception {
        return consumer.processToClaims(jwt);
    }
}
