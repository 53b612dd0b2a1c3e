package io.tokengateway.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import io.tokengateway.config.GatewayConfig;

/**
 * The seal on every idempotency record (DESIGN section 4): an HMAC-SHA256 over a fixed purpose and format
 * label ({@code tokengateway/idempotency-record/v1}), the record's Redis key and its JSON, under
 * {@code gateway.state.seal-key}. A stored answer is replayed as the provider's word, so only a
 * gateway may have written it: a record edited in Redis, or a genuine one copied under another key, fails its
 * seal and is never replayed.
 *
 * <p>The seal is the record's last JSON field, {@code "seal":"<base64url>"}: the sealed record is still one
 * JSON object, so the Lua scripts (which read its {@code owner}) and gateways of an earlier version (which
 * ignore the field) read it unchanged during a rolling upgrade. The MAC covers exactly the bytes before that
 * field (with the closing brace), as stored, so no re-encoding is needed to check it.
 *
 * <p>Verification tries the current key, then each of {@code gateway.state.previous-seal-keys} (rotation),
 * comparing in constant time. {@link Mac} is not thread-safe: each thread (an event loop) keeps its own.
 */
@Singleton
@Startup // a production gateway without a seal key must refuse to start, not fail its first order
public class RecordSeal {

    private static final Logger LOG = Logger.getLogger(RecordSeal.class);
    private static final String ALGORITHM = "HmacSHA256";
    /**
     * The first bytes of every MAC input: what is sealed, and in which format. Should the key ever also MAC
     * something else, no input of that other purpose can collide with a record's; v2 of the format changes it.
     */
    private static final byte[] PURPOSE = "tokengateway/idempotency-record/v1".getBytes(StandardCharsets.US_ASCII);
    /** Shortest key accepted: HMAC-SHA256's own output size. */
    static final int MIN_KEY_BYTES = 32;

    private static final String FIELD = ",\"seal\":\"";
    private static final int SEAL_CHARS = 43; // 32 bytes, base64url without padding
    private static final int SUFFIX_LENGTH = FIELD.length() + SEAL_CHARS + 2; // the seal, its quote, the brace

    private final ThreadLocal<Mac[]> macs;
    private final boolean acceptUnsealed;

    @Inject
    RecordSeal(GatewayConfig config) {
        this(keys(config.state(), LaunchMode.current()), config.state().acceptUnsealed());
    }

    /** {@code keys}: the current one first, then the previous ones still accepted. */
    RecordSeal(List<byte[]> keys, boolean acceptUnsealed) {
        List<SecretKeySpec> specs =
                keys.stream().map(key -> new SecretKeySpec(key, ALGORITHM)).toList();
        this.macs = ThreadLocal.withInitial(() -> {
            Mac[] initialised = new Mac[specs.size()];
            for (int i = 0; i < specs.size(); i++) {
                initialised[i] = mac(specs.get(i));
            }
            return initialised;
        });
        macs.get(); // fails here, at start, if the JDK cannot do HmacSHA256
        this.acceptUnsealed = acceptUnsealed;
    }

    /** A seal for tests and benchmarks: {@code current} first, then the previous keys. */
    public static RecordSeal of(boolean acceptUnsealed, byte[] current, byte[]... previous) {
        List<byte[]> keys = new ArrayList<>();
        keys.add(current);
        keys.addAll(List.of(previous));
        return new RecordSeal(keys, acceptUnsealed);
    }

    /** What a stored record turned out to be. */
    public sealed interface Opened {
        /** Sealed by a gateway for this key (or unsealed and accepted): its JSON as stored, seal included. */
        record Trusted(String json) implements Opened {}

        /** Not to be trusted: {@code reason} is {@code mismatch} (edited, moved, another key) or {@code unsealed}. */
        record Refused(String reason) implements Opened {}
    }

    /** {@code json} (one JSON object, as {@link IdempotencyRecord} encodes it) with its seal for {@code recordKey}. */
    public String seal(String recordKey, String json) {
        byte[] tag = tag(macs.get()[0], recordKey, json);
        return new StringBuilder(json.length() + SUFFIX_LENGTH)
                .append(json, 0, json.length() - 1)
                .append(FIELD)
                .append(Base64.getUrlEncoder().withoutPadding().encodeToString(tag))
                .append("\"}")
                .toString();
    }

    /** The stored text of {@code recordKey}, checked against its seal before anything in it is parsed. */
    public Opened open(String recordKey, String stored) {
        if (!hasSealField(stored)) {
            // An unsealed record, or a sealed one whose seal was moved or mangled: either way no seal holds.
            if (acceptUnsealed && !stored.contains("\"seal\"")) {
                return new Opened.Trusted(stored);
            }
            return new Opened.Refused(stored.contains("\"seal\"") ? "mismatch" : "unsealed");
        }
        int contentEnd = stored.length() - SUFFIX_LENGTH;
        byte[] claimed;
        try {
            claimed = Base64.getUrlDecoder().decode(stored.substring(contentEnd + FIELD.length(), stored.length() - 2));
        } catch (IllegalArgumentException notBase64) {
            return new Opened.Refused("mismatch");
        }
        // The suffix is ASCII, so the content's bytes end where the suffix's begin: no copy of the content.
        byte[] bytes = stored.getBytes(StandardCharsets.UTF_8);
        for (Mac mac : macs.get()) {
            update(mac, recordKey);
            mac.update(bytes, 0, bytes.length - SUFFIX_LENGTH);
            mac.update((byte) '}');
            if (MessageDigest.isEqual(claimed, mac.doFinal())) {
                // Parsed as stored: the seal is one field more, which the record's decoder ignores.
                return new Opened.Trusted(stored);
            }
        }
        return new Opened.Refused("mismatch");
    }

    private static boolean hasSealField(String stored) {
        int at = stored.length() - SUFFIX_LENGTH;
        return at > 0 && stored.startsWith(FIELD, at) && stored.endsWith("\"}");
    }

    /**
     * HMAC over the purpose, the key's length, the key and the record: no other key and record run together into
     * the same bytes, nor does anything sealed for another purpose.
     */
    private static byte[] tag(Mac mac, String recordKey, String json) {
        update(mac, recordKey);
        mac.update(json.getBytes(StandardCharsets.UTF_8));
        return mac.doFinal();
    }

    private static void update(Mac mac, String recordKey) {
        mac.update(PURPOSE);
        byte[] key = recordKey.getBytes(StandardCharsets.UTF_8);
        mac.update((byte) (key.length >>> 24));
        mac.update((byte) (key.length >>> 16));
        mac.update((byte) (key.length >>> 8));
        mac.update((byte) key.length);
        mac.update(key);
    }

    private static Mac mac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * The seal keys from configuration, current first. Production ({@link LaunchMode#NORMAL}) refuses to start
     * without {@code gateway.state.seal-key}; dev and test generate one for the run. Messages name the
     * property, never its value.
     */
    static List<byte[]> keys(GatewayConfig.StateConfig config, LaunchMode mode) {
        List<byte[]> keys = new ArrayList<>();
        if (config.sealKey().isPresent()) {
            keys.add(keyBytes(config.sealKey().get(), "gateway.state.seal-key"));
        } else if (mode == LaunchMode.NORMAL) {
            throw new IllegalStateException(
                    "gateway.state.seal-key is required in production: at least " + MIN_KEY_BYTES
                            + " random bytes in base64 from a Secret, which seals the stored idempotency records;"
                            + " see docs/operations.md");
        } else {
            byte[] generated = new byte[MIN_KEY_BYTES];
            new SecureRandom().nextBytes(generated);
            keys.add(generated);
            LOG.warnf(
                    "No gateway.state.seal-key: sealing idempotency records with a key generated for this run (%s mode);"
                            + " records sealed by other replicas or earlier runs will not verify",
                    mode.getDefaultProfile());
        }
        List<String> previous = config.previousSealKeys().orElse(List.of());
        for (int i = 0; i < previous.size(); i++) {
            keys.add(keyBytes(previous.get(i), "gateway.state.previous-seal-keys[" + i + "]"));
        }
        return keys;
    }

    /** Base64 in the standard or the URL alphabet, padded or not (after line breaks and spaces are removed). */
    private static final java.util.regex.Pattern BASE64 =
            java.util.regex.Pattern.compile("[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+={0,2}");

    /**
     * A key is base64 (either alphabet; line breaks, spaces and padding tolerated, as {@code base64} wraps it) of at
     * least {@value #MIN_KEY_BYTES} bytes, and nothing else: a raw passphrase is refused rather than guessed at, since
     * one that happened to be valid base64 would be silently decoded into another key. The messages name the
     * property, never its value, and do not chain the decoder's message (which quotes a character of it).
     */
    static byte[] keyBytes(String value, String property) {
        String compact = value.replaceAll("\\s+", "");
        if (!BASE64.matcher(compact).matches()) {
            throw new IllegalStateException(property + " is not base64: give at least " + MIN_KEY_BYTES
                    + " random bytes in base64, e.g. head -c 32 /dev/urandom | base64");
        }
        byte[] decoded;
        try {
            decoded = (compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0
                            ? Base64.getUrlDecoder()
                            : Base64.getDecoder())
                    .decode(compact);
        } catch (IllegalArgumentException malformed) {
            throw new IllegalStateException(property + " is not well-formed base64 (its length or padding)");
        }
        if (decoded.length < MIN_KEY_BYTES) {
            throw new IllegalStateException(property + " is too short: it decodes to " + decoded.length
                    + " bytes, at least " + MIN_KEY_BYTES + " are required");
        }
        return decoded;
    }
}
