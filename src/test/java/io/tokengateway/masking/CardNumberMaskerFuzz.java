package io.tokengateway.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing of the masker, bounded in tries: a real card number of any brand and length, plain or grouped,
 * placed in random text (random characters, JSON, URL and log punctuation, other numbers around it, but
 * bounded by non-digits as the definition requires). The card never survives, and nothing crashes.
 */
class CardNumberMaskerFuzz {

    private static final List<String> CARDS = CardNumbers.everyBrandAndLength();
    private final SensitiveTextMasker masker = new SensitiveTextMasker(List.of("s3cr3t-pw"));

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.strings()
                .withChars("abcXYZ {}[]\":,/?&=-_.;\t\n0123456789éß€")
                .ofMaxLength(60);
    }

    @Property(tries = 3000)
    void aCardInAnyTextIsMasked(
            @ForAll("noise") String before,
            @ForAll("noise") String after,
            @ForAll int cardSeed,
            @ForAll int shapeSeed) {
        String card = CARDS.get(Math.floorMod(cardSeed, CARDS.size()));
        String shown =
                switch (Math.floorMod(shapeSeed, 3)) {
                    case 0 -> card;
                    case 1 -> CardNumbers.grouped(card, ' ');
                    default -> CardNumbers.grouped(card, '-');
                };
        String text = bound(before, true) + shown + bound(after, false);
        String masked = masker.mask(text);
        assertFalse(masked.replace(" ", "").replace("-", "").contains(card), () -> "unmasked: " + masked);
    }

    @Property(tries = 2000)
    void anyTextKeepsItsShapeAndNeverShowsTheSecret(@ForAll String text) {
        // Card masking only ever turns digits into '*', whatever the text around them.
        String cardsMasked = CardNumberMasker.mask(text);
        assertEquals(text.length(), cardsMasked.length());
        for (int i = 0; i < text.length(); i++) {
            char c = cardsMasked.charAt(i);
            assertTrue(c == text.charAt(i) || (c == '*' && Character.isDigit(text.charAt(i))), cardsMasked);
        }
        // A configured secret next to any text is hidden.
        String withSecret = text + " s3cr3t-pw " + text;
        assertFalse(masker.mask(withSecret).contains("s3cr3t-pw"), () -> "secret shown in: " + masker.mask(withSecret));
    }

    @Provide
    Arbitrary<String> digitHeavy() {
        return Arbitraries.strings()
                .withChars("0123456789012345678901234567890123456789 --abcf|")
                .ofMaxLength(120);
    }

    /** Only digits ever change, into '*'; the shape stays, and masking the result again changes nothing. */
    @Property(tries = 3000)
    void maskingOnlyHidesDigitsAndIsIdempotent(@ForAll("digitHeavy") String text) {
        String masked = CardNumberMasker.mask(text);
        assertEquals(text.length(), masked.length());
        for (int i = 0; i < text.length(); i++) {
            char c = masked.charAt(i);
            assertTrue(c == text.charAt(i) || (c == '*' && Character.isDigit(text.charAt(i))), masked);
        }
        assertEquals(masked, CardNumberMasker.mask(masked));
    }

    /** The text next to the card ends (or starts) with a non-digit, non-separator character. */
    private static String bound(String noise, boolean before) {
        return before ? noise + "|" : "|" + noise;
    }
}
