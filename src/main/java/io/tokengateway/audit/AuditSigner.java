package io.tokengateway.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Signs checkpoints with the instance's Ed25519 key and checks them with the public key. A checkpoint
 * signs the chain's head (its seq and hash) and the previous checkpoint's signature, so the signatures of
 * one instance form a chain of their own: nobody without the private key can edit, drop or reorder a
 * record before a checkpoint, even if they recompute every hash after it.
 */
public final class AuditSigner {

    private final Signature signature;
    private final PublicKey publicKey;
    private final String fingerprint;

    public AuditSigner(PrivateKey privateKey) {
        this.publicKey = AuditKeys.publicKeyOf(privateKey);
        this.fingerprint = AuditKeys.fingerprint(publicKey);
        try {
            this.signature = Signature.getInstance("Ed25519");
            this.signature.initSign(privateKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing is unavailable", e);
        }
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** Base64 Ed25519 signature of {@code payload}. Only the writer thread signs. */
    String sign(byte[] payload) {
        try {
            signature.update(payload);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /** The exact bytes a checkpoint's signature covers. */
    public static byte[] payload(
            String instance, long headSeq, String headHash, String previousSignature, String time, boolean last) {
        return ("tokengateway-audit-checkpoint/1\n" + instance + "\n" + headSeq + "\n" + headHash + "\n"
                        + previousSignature + "\n" + time + "\n" + (last ? "final" : "open"))
                .getBytes(StandardCharsets.UTF_8);
    }

    public static boolean verify(PublicKey key, byte[] payload, String base64Signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(payload);
            return verifier.verify(Base64.getDecoder().decode(base64Signature));
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }
}
