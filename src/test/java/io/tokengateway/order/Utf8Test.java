package io.tokengateway.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class Utf8Test {

    @ParameterizedTest
    @ValueSource(strings = {"", "plain ascii", "café", "日本語", "emoji 😀", "\u0000", "\uffff"})
    void wellFormedTextIsValid(String text) {
        assertTrue(Utf8.isValid(text.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "c0af",
                "c1bf",
                "e08080",
                "f0808080",
                "eda080",
                "edbfbf",
                "f4908080",
                "f5808080",
                "ff",
                "fe",
                "80",
                "bf",
                "c3",
                "e282",
                "f09f98",
                "c328",
                "e228a1"
            })
    void malformedSequencesAreInvalid(String hex) {
        byte[] bytes = java.util.HexFormat.of().parseHex(hex);
        assertFalse(Utf8.isValid(bytes), hex);
    }

    /** The ASCII fast path reads eight bytes at a time: a bad sequence at any offset in ASCII is still found. */
    @ParameterizedTest
    @ValueSource(strings = {"c0af", "eda080", "f4908080", "80", "c3", "e282"})
    void malformedSequencesAreFoundAtEveryOffsetInAscii(String hex) {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        for (int before = 0; before < 20; before++) {
            for (int after = 0; after < 20; after++) {
                byte[] body = new byte[before + bad.length + after];
                java.util.Arrays.fill(body, (byte) 'a');
                System.arraycopy(bad, 0, body, before, bad.length);
                assertFalse(Utf8.isValid(body), hex + " after " + before + " ASCII bytes, before " + after);
            }
        }
    }

    /** The same verdict as the JDK's strict decoder, on bytes that are mostly ASCII with some of anything. */
    @Property(tries = 5000)
    void agreesWithTheJdksStrictDecoder(@ForAll("mostlyAscii") byte[] bytes) {
        boolean jdk;
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            jdk = true;
        } catch (CharacterCodingException e) {
            jdk = false;
        }
        assertEquals(jdk, Utf8.isValid(bytes), () -> java.util.HexFormat.of().formatHex(bytes));
    }

    @Provide
    Arbitrary<byte[]> mostlyAscii() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<byte[]> valid = text.map(t -> t.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> noisy =
                Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(6);
        return Combinators.combine(valid, noisy, valid).as((a, b, c) -> {
            byte[] all = new byte[a.length + b.length + c.length];
            System.arraycopy(a, 0, all, 0, a.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            System.arraycopy(c, 0, all, a.length + b.length, c.length);
            return all;
        });
    }
}
