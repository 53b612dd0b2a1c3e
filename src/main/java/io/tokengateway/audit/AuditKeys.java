package io.tokengateway.audit;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The Ed25519 keys of the audit trail: the private signing key as PKCS#8 (DER in base64, as
 * {@code openssl genpkey -algorithm ed25519 -outform DER | base64 -w0} prints, or PEM), the public key as
 * X.509 SubjectPublicKeyInfo (PEM or DER in base64), and the public key's fingerprint that every
 * {@code start} record carries.
 *
 * <p>The JDK cannot derive an Ed25519 public key from a private one, and PKCS#8 as openssl writes it holds
 * only the 32-byte seed; {@link #publicKeyOf} computes it (RFC 8032 section 5.1.5), so the operator keeps
 * one secret and the gateway can still name the key it signs with.
 */
public final class AuditKeys {

    /** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 key bytes follow. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger D =
            new BigInteger("37095705934669439343138083508754565189542113879843219016388785533085940283555");
    private static final BigInteger TWO_D = D.shiftLeft(1).mod(P);
    private static final BigInteger[] BASE = {
        new BigInteger("15112221349535400772501151409588531511454012693041857206046113283949847762202"),
        new BigInteger("46316835694926478169428394003475163141307993866256225615783033603165251855960")
    };

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

    /** The public half of an Ed25519 private key. */
    public static PublicKey publicKeyOf(PrivateKey privateKey) {
        if (!(privateKey instanceof EdECPrivateKey edec) || edec.getBytes().isEmpty()) {
            throw new IllegalArgumentException("not an Ed25519 private key");
        }
        byte[] seed = edec.getBytes().get();
        byte[] h = sha512(seed);
        h[0] &= (byte) 248;
        h[31] &= 127;
        h[31] |= 64;
        BigInteger[] a = multiply(BASE, new BigInteger(1, reverse(h, 32)));
        byte[] encoded = reverse(toBytes32(a[1]), 32);
        if (a[0].testBit(0)) {
            encoded[31] |= (byte) 0x80;
        }
        byte[] der = new byte[X509_PREFIX.length + 32];
        System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
        System.arraycopy(encoded, 0, der, X509_PREFIX.length, 32);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
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

    // Twisted Edwards curve -x^2 + y^2 = 1 + d x^2 y^2 over GF(p), in extended coordinates (X:Y:Z:T), x = X/Z,
    // y = Y/Z, xy = T/Z (RFC 8032 section 5.1.4): no inversion per addition, one pair at the end. Affine
    // additions, each with two inversions, made this 150 ms of the gateway's start on one core.
    private static BigInteger[] multiply(BigInteger[] point, BigInteger scalar) {
        BigInteger[] result = {BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO};
        BigInteger[] addend = {
            point[0], point[1], BigInteger.ONE, point[0].multiply(point[1]).mod(P)
        };
        for (int i = 0; i < scalar.bitLength(); i++) {
            if (scalar.testBit(i)) {
                result = add(result, addend);
            }
            addend = add(addend, addend);
        }
        BigInteger zInverse = result[2].modInverse(P);
        return new BigInteger[] {
            result[0].multiply(zInverse).mod(P), result[1].multiply(zInverse).mod(P)
        };
    }

    private static BigInteger[] add(BigInteger[] p1, BigInteger[] p2) {
        BigInteger a = p1[1].subtract(p1[0]).multiply(p2[1].subtract(p2[0])).mod(P);
        BigInteger b = p1[1].add(p1[0]).multiply(p2[1].add(p2[0])).mod(P);
        BigInteger c = p1[3].multiply(TWO_D).multiply(p2[3]).mod(P);
        BigInteger d = p1[2].shiftLeft(1).multiply(p2[2]).mod(P);
        BigInteger e = b.subtract(a);
        BigInteger f = d.subtract(c);
        BigInteger g = d.add(c);
        BigInteger h = b.add(a);
        return new BigInteger[] {
            e.multiply(f).mod(P),
            g.multiply(h).mod(P),
            f.multiply(g).mod(P),
            e.multiply(h).mod(P)
        };
    }

    private static byte[] sha512(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] reverse(byte[] bytes, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = bytes[length - 1 - i];
        }
        return out;
    }

    private static byte[] toBytes32(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }
}
