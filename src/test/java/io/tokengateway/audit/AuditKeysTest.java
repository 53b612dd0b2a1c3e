package io.tokengateway.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** Keys as operators create them (openssl), the public key derived from the private one, and signatures. */
class AuditKeysTest {

    /** RFC 8032 section 7.1: each test's SECRET KEY (the 32-byte seed) and its PUBLIC KEY. */
    static final String[][] RFC_8032_VECTORS = {
        {
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", // TEST 1
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        },
        {
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", // TEST 2
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"
        },
        {
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", // TEST 3
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025"
        },
        {
            "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5", // TEST 1024
            "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e"
        },
        {
            "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42", // TEST SHA(abc)
            "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf"
        }
    };

    @Test
    void thePublicKeyIsDerivedFromThePrivateKeyAsRfc8032Says() {
        for (String[] vector : RFC_8032_VECTORS) {
            byte[] pkcs8 = HexFormat.of().parseHex("302e020100300506032b657004220420" + vector[0]);
            PrivateKey key = AuditKeys.privateKey(Base64.getEncoder().encodeToString(pkcs8));
            byte[] spki = AuditKeys.publicKeyOf(key).getEncoded();
            assertEquals(vector[1], HexFormat.of().formatHex(spki, spki.length - 32, spki.length), vector[0]);
            // the private key itself is left as it was: the derivation works on a copy of its seed
            assertEquals(
                    vector[0],
                    HexFormat.of().formatHex(((EdECPrivateKey) key).getBytes().orElseThrow()));
        }
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
    void aKeyOfAnotherCurveHasNoEd25519PublicKey() throws Exception {
        PrivateKey ed448 =
                KeyPairGenerator.getInstance("Ed448").generateKeyPair().getPrivate();
        assertThrows(IllegalArgumentException.class, () -> AuditKeys.publicKeyOf(ed448));
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
