package io.tokengateway.testing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Bearer tokens for tests, signed with the key whose public half the WireMock OIDC provider publishes
 * ({@code smallrye.jwt.sign.key.location}, set by {@code OidcWiremockTestResource}), and deliberately
 * broken variants of them.
 */
public final class Tokens {

    public static final String ISSUER = "https://server.example.com";
    public static final String AUDIENCE = "tokengateway";

    private Tokens() {}

    /** A valid token naming the caller in {@code azp}. */
    public static String forCaller(String callerId) {
        return claims(callerId).jws().keyId("1").sign();
    }

    public static String expired(String callerId) {
        Instant now = Instant.now();
        return claims(callerId)
                .issuedAt(now.minusSeconds(900))
                .expiresAt(now.minusSeconds(600))
                .jws()
                .keyId("1")
                .sign();
    }

    public static String withIssuer(String callerId, String issuer) {
        return claims(callerId).issuer(issuer).jws().keyId("1").sign();
    }

    public static String withAudience(String callerId, String audience) {
        return claims(callerId).audience(audience).jws().keyId("1").sign();
    }

    /** Signed by a key the provider never published. */
    public static String signedWithUnknownKey(String callerId) {
        return claims(callerId).jws().keyId("1").sign(freshKeyPair().getPrivate());
    }

    /** {@code alg: none}: a token with no signature at all. */
    public static String unsigned(String callerId) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
        long now = Instant.now().getEpochSecond();
        String payload = b64.encodeToString(("{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"azp\":\""
                        + callerId + "\",\"iat\":" + now + ",\"exp\":" + (now + 300) + "}")
                .getBytes());
        return header + "." + payload + ".";
    }

    /** Valid in every way, except that it only becomes valid in ten minutes ({@code nbf}). */
    public static String notYetValid(String callerId) {
        Instant now = Instant.now();
        return claims(callerId)
                .claim("nbf", now.plusSeconds(600).getEpochSecond())
                .issuedAt(now.plusSeconds(600))
                .expiresAt(now.plusSeconds(1200))
                .jws()
                .keyId("1")
                .sign();
    }

    /**
     * The algorithm-confusion attack: HS256, keyed with the provider's published RSA public key, as a verifier
     * that trusted the token's {@code alg} would accept it.
     */
    public static String hs256WithPublicKey(String callerId, byte[] publicKeyBytes) {
        return claims(callerId)
                .jws()
                .keyId("1")
                .algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.HS256)
                .sign(new javax.crypto.spec.SecretKeySpec(publicKeyBytes, "HmacSHA256"));
    }

    /** The RSA public key the OIDC test provider publishes (its JWKS), as X.509 DER bytes. */
    public static byte[] publishedPublicKey() {
        try (var in = Tokens.class.getClassLoader().getResourceAsStream("publicKey.jwk")) {
            io.vertx.core.json.JsonObject jwk = new io.vertx.core.json.JsonObject(
                    new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            java.math.BigInteger n =
                    new java.math.BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("n")));
            java.math.BigInteger e =
                    new java.math.BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("e")));
            return java.security.KeyFactory.getInstance("RSA")
                    .generatePublic(new java.security.spec.RSAPublicKeySpec(n, e))
                    .getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid token that carries no {@code azp}, only a subject. */
    public static String withSubjectOnly(String subject) {
        return Jwt.claims()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .expiresIn(300)
                .jws()
                .keyId("1")
                .sign();
    }

    private static JwtClaimsBuilder claims(String callerId) {
        return Jwt.claims()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .claim("azp", callerId)
                .subject("svc-" + callerId)
                .expiresIn(300);
    }

    private static KeyPair freshKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
