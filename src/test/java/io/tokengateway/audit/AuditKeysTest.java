package io.tokengateway.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** Keys as operators create them (openssl), the public key derived from the private one, and signatures. */
class AuditKeysTest {

    // RFC 8032 section 7.1, test 1: secret key and its public key.
    static final String RFC_SECRET = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    static final String RFC_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    @Test
    void thePublicKeyIsDerivedFromThePrivateKeyAsRfc8032Says() {
        byte[] pkcs8 = HexFormat.of().parseHex("302e020100300506032b657004220420" + RFC_SECRET);
        PrivateKey key = AuditKeys.privateKey(Base64.getEncoder().encodeToString(pkcs8));
        byte[] spki = AuditKeys.publicKeyOf(key).getEncoded();
        assertEquals(RFC_PUBLIC, HexFormat.of().formatHex(spki, spki.length - 32, spki.length));
    }

    @Test
    void derivedPublicKeysMatchTheJdksForRandomKeys() {
        for (int i = 0; i < 25; i++) {
            KeyPair pair = AuditKeys.generate();
            assertArrayEquals(
                    pair.getPublic().getEncoded(),
                    AuditKeys.publicKeyOf(pair.getPrivate()).getEncoded());
        }
    }

    @Test
    void keysInPemOrBase64DerParseAndSignaturesVerifyOnlyWithTheRightKey() {
        KeyPair pair = AuditKeys.generate();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        AuditSigner signer = new AuditSigner(AuditKeys.privateKey(pem));
        String publicPem =
                "-----BEGIN PUBLIC KEY-----\n" + AuditKeys.toBase64(pair.getPublic()) + "\n-----END PUBLIC KEY-----";
        byte[] payload = "payload".getBytes(StandardCharsets.UTF_8);
        String signature = signer.sign(payload);
        assertTrue(AuditSigner.verify(AuditKeys.publicKey(publicPem), payload, signature));
        assertTrue(AuditSigner.verify(AuditKeys.publicKey(AuditKeys.toBase64(pair.getPublic())), payload, signature));
        assertFalse(AuditSigner.verify(AuditKeys.generate().getPublic(), payload, signature));
        assertFalse(AuditSigner.verify(pair.getPublic(), "payloaD".getBytes(StandardCharsets.UTF_8), signature));
        assertTrue(signer.fingerprint().matches("sha256:[0-9a-f]{64}"));
    }

    @Test
    void aKeyThatIsNotEd25519IsRefusedWithoutQuotingIt() {
        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> AuditKeys.privateKey("c2VjcmV0LXZhbHVl"));
        assertFalse(refused.getMessage().contains("c2VjcmV0LXZhbHVl"));
        assertThrows(
                IllegalArgumentException.class,
                () -> AuditKeys.publicKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"));
    }

    @Test
    void aKeyMadeByOpensslAsDocumentedWorks() throws Exception {
        Process genpkey =
                new ProcessBuilder("sh", "-c", "openssl genpkey -algorithm ed25519 -outform DER | base64 -w0").start();
        String privateBase64 = new String(genpkey.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertEquals(0, genpkey.waitFor());
        Process pubout = new ProcessBuilder(
                        "sh", "-c", "base64 -d | openssl pkey -inform DER -pubout -outform DER | base64 -w0")
                .start();
        pubout.getOutputStream().write(privateBase64.getBytes(StandardCharsets.US_ASCII));
        pubout.getOutputStream().close();
        String publicBase64 = new String(pubout.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertEquals(0, pubout.waitFor());
        assertEquals(publicBase64, AuditKeys.toBase64(AuditKeys.publicKeyOf(AuditKeys.privateKey(privateBase64))));
    }
}
