package io.tokengateway.order;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
}
