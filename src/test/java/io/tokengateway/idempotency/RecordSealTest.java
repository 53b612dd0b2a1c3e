package io.tokengateway.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.LaunchMode;
import io.tokengateway.flow.testkit.TestConfig;
import io.vertx.core.json.JsonObject;

class RecordSealTest {

    static final byte[] OLD = "an-old-seal-key-of-32-bytes-long!".getBytes(StandardCharsets.UTF_8);
    static final byte[] NEW = "the-new-seal-key-of-32-bytes-ok!!".getBytes(StandardCharsets.UTF_8);
    static final String NEW_BASE64 = Base64.getEncoder().encodeToString(NEW);
    static final String KEY = "tg:idem:{m1}:abc";
    static final String RECORD =
            "{\"v\":2,\"owner\":\"o\",\"caller\":\"c\",\"operation\":\"create-order\",\"fingerprint\":\"f\"}";

    @Test
    void aSealedRecordIsStillOneJsonObjectAndOpens() {
        RecordSeal seal = RecordSeal.of(false, NEW);
        String sealed = seal.seal(KEY, RECORD);
        assertEquals("o", new JsonObject(sealed).getString("owner"), "the Lua scripts read the owner from it");
        assertEquals(new RecordSeal.Opened.Trusted(sealed), seal.open(KEY, sealed));
    }

    /**
     * The seal's input is pinned: the purpose and format label first, then the key's length and the key, then the
     * record. The label keeps the seal key's MACs for records apart from anything else it might ever MAC.
     */
    @Test
    void theSealIsAnHmacOverThePurposeTheKeyAndTheRecord() throws Exception {
        byte[] key = KEY.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream input = new java.io.ByteArrayOutputStream();
        input.write("tokengateway/idempotency-record/v1".getBytes(StandardCharsets.US_ASCII));
        input.write(java.nio.ByteBuffer.allocate(4).putInt(key.length).array());
        input.write(key);
        input.write(RECORD.getBytes(StandardCharsets.UTF_8));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(NEW, "HmacSHA256"));
        String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.toByteArray()));
        assertEquals(expected, new JsonObject(RecordSeal.of(false, NEW).seal(KEY, RECORD)).getString("seal"));
        // without the label, the same key and record give another seal
        mac.update(input.toByteArray(), 34, input.size() - 34);
        assertFalse(expected.equals(Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal())));
    }

    @Test
    void aRecordWithTextBeyondAsciiOpensToo() {
        RecordSeal seal = RecordSeal.of(false, NEW);
        String record = RECORD.replace("\"caller\":\"c\"", "\"caller\":\"équipe-ß-日本\"");
        String sealed = seal.seal(KEY, record);
        assertEquals(new RecordSeal.Opened.Trusted(sealed), seal.open(KEY, sealed));
        assertEquals(new RecordSeal.Opened.Refused("mismatch"), seal.open(KEY, sealed.replace("équipe", "equipe")));
    }

    @Test
    void anEditedRecordOrOneUnderAnotherKeyIsRefused() {
        RecordSeal seal = RecordSeal.of(false, NEW);
        String sealed = seal.seal(KEY, RECORD);
        assertEquals(
                new RecordSeal.Opened.Refused("mismatch"),
                seal.open(KEY, sealed.replace("\"owner\":\"o\"", "\"owner\":\"x\"")));
        assertEquals(new RecordSeal.Opened.Refused("mismatch"), seal.open("tg:idem:{m1}:abd", sealed));
        assertEquals(new RecordSeal.Opened.Refused("mismatch"), seal.open("tg:idem:{m2}:abc", sealed));
        // the seal moved away from the end, so it no longer covers what precedes it
        JsonObject moved = new JsonObject(sealed);
        String tag = moved.getString("seal");
        moved.remove("seal");
        assertEquals(
                new RecordSeal.Opened.Refused("mismatch"),
                seal.open(KEY, new JsonObject().put("seal", tag).mergeIn(moved).encode()));
    }

    @Test
    void aRecordSealedWithAPreviousKeyStillOpensAndNewRecordsAreSealedWithTheCurrentOne() {
        String sealedBefore = RecordSeal.of(false, OLD).seal(KEY, RECORD);
        RecordSeal rotated = RecordSeal.of(false, NEW, OLD);
        assertEquals(new RecordSeal.Opened.Trusted(sealedBefore), rotated.open(KEY, sealedBefore));
        assertEquals(rotated.seal(KEY, RECORD), RecordSeal.of(false, NEW).seal(KEY, RECORD));
        assertEquals(
                new RecordSeal.Opened.Refused("mismatch"),
                RecordSeal.of(false, NEW).open(KEY, sealedBefore));
    }

    @Test
    void anUnsealedRecordOpensOnlyWhileUnsealedRecordsAreAccepted() {
        assertEquals(
                new RecordSeal.Opened.Refused("unsealed"),
                RecordSeal.of(false, NEW).open(KEY, RECORD));
        assertEquals(
                new RecordSeal.Opened.Trusted(RECORD), RecordSeal.of(true, NEW).open(KEY, RECORD));
        // a sealed record whose seal was mangled is no unsealed record
        String mangled = RecordSeal.of(false, NEW).seal(KEY, RECORD).replace("\"seal\":\"", "\"seal\":\"!");
        assertInstanceOf(
                RecordSeal.Opened.Refused.class, RecordSeal.of(true, NEW).open(KEY, mangled));
    }

    @Test
    void productionRefusesToStartWithoutASealKeyAndNamesTheProperty() {
        IllegalStateException refused = assertThrows(
                IllegalStateException.class,
                () -> RecordSeal.keys(TestConfig.gateway(Map.of()).state(), LaunchMode.NORMAL));
        assertTrue(refused.getMessage().contains("gateway.state.seal-key"), refused.getMessage());
        assertEquals(
                1,
                RecordSeal.keys(TestConfig.gateway(Map.of()).state(), LaunchMode.TEST)
                        .size());
        assertEquals(
                1,
                RecordSeal.keys(TestConfig.gateway(Map.of()).state(), LaunchMode.DEVELOPMENT)
                        .size());
    }

    @Test
    void keysAreReadAsBase64EvenWrappedAndAShortOneIsRefusedWithoutPrintingIt() {
        String base64 = Base64.getEncoder().encodeToString(NEW);
        // as `base64` prints a 64-byte key: wrapped at 76 characters, with a trailing line break
        byte[] longKey = new byte[64];
        new java.security.SecureRandom().nextBytes(longKey);
        String wrapped = Base64.getMimeEncoder().encodeToString(longKey).replace("\r\n", "\n") + "\n";
        assertTrue(wrapped.indexOf('\n') < wrapped.length() - 1, "the test key is wrapped");
        var keys = RecordSeal.keys(
                TestConfig.gateway(Map.of(
                                "state.seal-key",
                                base64,
                                "state.previous-seal-keys",
                                Base64.getUrlEncoder().withoutPadding().encodeToString(OLD)))
                        .state(),
                LaunchMode.NORMAL);
        assertEquals(2, keys.size());
        assertEquals(new String(NEW, StandardCharsets.UTF_8), new String(keys.get(0), StandardCharsets.UTF_8));
        assertEquals(new String(OLD, StandardCharsets.UTF_8), new String(keys.get(1), StandardCharsets.UTF_8));
        assertTrue(java.util.Arrays.equals(longKey, RecordSeal.keyBytes(wrapped, "gateway.state.seal-key")));
        IllegalStateException tooShort = assertThrows(
                IllegalStateException.class,
                () -> RecordSeal.keys(
                        TestConfig.gateway(Map.of("state.seal-key", "short-secret-Kq9"))
                                .state(),
                        LaunchMode.NORMAL));
        assertTrue(tooShort.getMessage().contains("gateway.state.seal-key"));
        assertFalse(tooShort.getMessage().contains("short-secret-Kq9"));
    }

    /**
     * A raw passphrase is refused at start, never used as bytes nor decoded by accident: one that happens to be
     * made of base64 characters would silently become another key. The message names the property only.
     */
    @Test
    void aKeyThatIsNotBase64IsRefusedNamingThePropertyNotTheValue() {
        for (String raw : java.util.List.of(
                "correct horse battery staple, long enough!!", // a passphrase
                "the-current-seal-key-given-as-raw-text-Qz", // base64url characters, but no base64 length
                "bm90IGEga2V5==x", // padding in the middle
                Base64.getEncoder().encodeToString(NEW) + "+" + "_" // both alphabets at once
                )) {
            IllegalStateException refused = assertThrows(
                    IllegalStateException.class,
                    () -> RecordSeal.keys(
                            TestConfig.gateway(Map.of("state.seal-key", NEW_BASE64, "state.previous-seal-keys", raw))
                                    .state(),
                            LaunchMode.NORMAL),
                    raw);
            assertTrue(refused.getMessage().contains("gateway.state.previous-seal-keys[0]"), refused.getMessage());
            assertFalse(refused.getMessage().contains(raw), refused.getMessage());
            assertEquals(null, refused.getCause(), "no decoder message quoting the value");
        }
    }
}
