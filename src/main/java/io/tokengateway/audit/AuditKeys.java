package io.tokengateway.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The Ed25519 keys of the audit trail: the private signing key as PKCS#8 (DER in base64, as
 * {@code openssl genpkey -algorithm ed25519 -outform DER | base64 -w0} prints, or PEM), the public key as
 * X.509 SubjectPublicKeyInfo (PEM or DER in base64), and the public key's fingerprint that every
 * {@code start} record carries.
 *
 * <p>PKCS#8 as openssl writes it holds only the 32-byte seed, and the JDK has no call that derives the public
 * key from a private one. Its key pair generator does exactly that derivation on the 32 random bytes it draws
 * as the private key (RFC 8032 section 5.1.5), so {@link #publicKeyOf} hands it the seed as its randomness and
 * checks that the pair it made holds that seed: the curve arithmetic stays the JDK's, and the operator keeps
 * one secret from which the gateway can still name the key it signs with.
 */
public final class AuditKeys {

    private AuditKeys() {}

    /** A fresh key pair, for dev mode and tests, which have no configured key. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK 15+ has Ed25519", e);
        }
    }

    /** Parses a PKCS#8 Ed25519 private key: PEM, or DER in base64. Never puts the key's text in a message. */
    public static PrivateKey privateKey(String text) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der(text, "PRIVATE KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "gateway.audit.signing-key is not an Ed25519 private key in PKCS#8 (PEM or base64 DER)");
        }
    }

    /** Parses an X.509 SubjectPublicKeyInfo Ed25519 public key: PEM, or DER in base64. */
    public static PublicKey publicKey(String text) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der(text, "PUBLIC KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "not an Ed25519 public key in X.509 SubjectPublicKeyInfo (PEM or base64 DER)");
        }
    }

    /** The public half of an Ed25519 private key, computed by the JDK's Ed25519 key pair generator. */
    public static PublicKey publicKeyOf(PrivateKey privateKey) {
        if (!(privateKey instanceof EdECPrivateKey edec)
                || !NamedParameterSpec.ED25519
                        .getName()
                        .equalsIgnoreCase(edec.getParams().getName())
                || edec.getBytes().isEmpty()) {
            throw new IllegalArgumentException("not an Ed25519 private key");
        }
        byte[] seed = edec.getBytes().get(); // a copy
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SeedAsRandom(seed));
            KeyPair pair = generator.generateKeyPair();
            byte[] generated = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
            boolean same = MessageDigest.isEqual(seed, generated);
            Arrays.fill(generated, (byte) 0);
            if (!same) {
                // A provider that draws its private key otherwise: its public key would belong to another key.
                throw new IllegalStateException("the JDK's Ed25519 key pair generator did not take the seed");
            }
            return pair.getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK 15+ has Ed25519", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** The public key as the verifier takes it: X.509 DER in base64, one line. */
    public static String toBase64(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** {@code sha256:} and the hex SHA-256 of the key's X.509 DER encoding. */
    public static String fingerprint(PublicKey key) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] der(String text, String pemType) {
        String trimmed = text.strip();
        if (trimmed.startsWith("-----BEGIN ")) {
            if (!trimmed.startsWith("-----BEGIN " + pemType + "-----")) {
                throw new IllegalArgumentException("PEM of another type");
            }
            trimmed = trimmed.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "");
        }
        return Base64.getMimeDecoder().decode(trimmed.replaceAll("\\s", "").getBytes(StandardCharsets.US_ASCII));
    }

    /** Randomness that is one given seed, served once: what makes the generator's key pair the seed's. */
    private static final class SeedAsRandom extends SecureRandom {

        SeedAsRandom(byte[] seed) {
            super(new SeedSpi(seed), null);
        }
    }

    private static final class SeedSpi extends SecureRandomSpi {

        private final byte[] seed;
        private boolean served;

        SeedSpi(byte[] seed) {
            this.seed = seed;
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            if (served || bytes.length != seed.length) {
                throw new IllegalStateException(
                        "the Ed25519 key pair generator asked for other randomness than a seed");
            }
            System.arraycopy(seed, 0, bytes, 0, seed.length);
            served = true;
        }

        @Override
        protected void engineSetSeed(byte[] ignored) {
            // the seed is fixed at construction; SecureRandom's constructor may call this, nothing else should
        }

        @Override
        protected byte[] engineGenerateSeed(int length) {
            throw new UnsupportedOperationException("not a source of randomness");
        }
    }
}
