package io.tokengateway.masking;

import static io.tokengateway.masking.CardNumbers.grouped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CardNumberMaskerTest {

    static Stream<String> cards() {
        return CardNumbers.everyBrandAndLength().stream();
    }

    @ParameterizedTest
    @MethodSource("cards")
    void everyBrandAndLengthIsMaskedToItsLastFourDigits(String card) {
        String expected = "*".repeat(card.length() - 4) + card.substring(card.length() - 4);
        assertEquals(expected, CardNumberMasker.mask(card));
    }

    @ParameterizedTest
    @MethodSource("cards")
    void groupedBySpacesOrDashesAndInsideTextJsonAndUrls(String card) {
        String last4 = card.substring(card.length() - 4);
        for (String shown : new String[] {card, grouped(card, ' '), grouped(card, '-')}) {
            for (String text : new String[] {
                "paid with " + shown + ", thanks",
                "{\"card\":\"" + shown + "\",\"cvc\":\"123\"}",
                "https://shop.example/pay?pan=" + shown + "&exp=1230",
                "/customer-token/v1/tokens/" + shown + "/order",
                shown + "\n" + shown
            }) {
                String masked = CardNumberMasker.mask(text);
                assertFalse(masked.contains(card), () -> "unmasked in: " + masked);
                assertFalse(masked.replace(" ", "").replace("-", "").contains(card), () -> "unmasked in: " + masked);
                assertTrue(
                        masked.replace(" ", "").replace("-", "").contains(last4), () -> "last four kept in: " + masked);
            }
        }
    }

    @Test
    void theShapeIsKept() {
        assertEquals("**** **** **** 1111", CardNumberMasker.mask("4111 1111 1111 1111"));
        assertEquals("****-******-*0005", CardNumberMasker.mask("3782-822463-10005"));
    }

    @Test
    void aCardGluedToOtherNumbersIsStillFound() {
        assertEquals("************1111 2026", CardNumberMasker.mask("4111111111111111 2026"));
        assertEquals("12 **** **** **** 1111", CardNumberMasker.mask("12 4111 1111 1111 1111"));
        assertEquals(
                "**** **** **** 1111 / ************4444",
                CardNumberMasker.mask("4111 1111 1111 1111 / 5555555555554444"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1732233600000", // epoch milliseconds
                "1732233600123456", // epoch microseconds
                "1732233600123456789", // epoch nanoseconds
                "2026-11-21T23:58:35.123456789Z",
                "550e8400-e29b-41d4-a716-446655440000", // UUID
                "41111111-1111-1111-1111-111111111111", // an all-digit UUID, even with a card's prefix
                "4166cea2-57e4-4801-8650-2241d33993ed", // found under load: 4-4801-8650-2241 is a Luhn-valid Visa 13
                "corr=load-4166cea2-57e4-4801-8650-2241d33993ed key", // the same inside a longer token
                "ORD-2026-000000123456789",
                "4111111111111112", // fails Luhn
                "9999999999999995", // passes Luhn, no issuer prefix
                "0000000000000000",
                "41111111111111111111", // 20 digits: too long to be a card
                "+46 70 123 45 67",
                "+1-800-555-0199",
                "0046701234567",
                "+44 20 7946 0958 ext 12",
                "order 12345, amount 250000, tax 50000"
            })
    void numbersThatAreNotCardsAreLeftAlone(String text) {
        assertSame(text, CardNumberMasker.mask(text));
    }

    @Test
    void randomUuidsAreNeverMasked() {
        for (int i = 0; i < 200_000; i++) {
            String id = "corr=load-" + java.util.UUID.randomUUID() + ";";
            assertSame(id, CardNumberMasker.mask(id), id);
        }
    }

    @ParameterizedTest
    @MethodSource("cards")
    void maskingTwiceChangesNothing(String card) {
        String once = CardNumberMasker.mask("x " + grouped(card, ' ') + " y " + card);
        assertEquals(once, CardNumberMasker.mask(once));
    }

    @Test
    void shortestAndLongestLengthsAtTheEdgesOfTheText() {
        String visa19 = CardNumbers.withCheckDigit("411111111111111111");
        assertEquals("*********2222", CardNumberMasker.mask("4222222222222"));
        assertEquals("*********2222 paid", CardNumberMasker.mask("4222222222222 paid"));
        assertEquals("paid *********2222", CardNumberMasker.mask("paid 4222222222222"));
        assertEquals("*".repeat(15) + visa19.substring(15) + ".", CardNumberMasker.mask(visa19 + "."));
        assertEquals("pan:" + "*".repeat(15) + visa19.substring(15), CardNumberMasker.mask("pan:" + visa19));
    }

    @Test
    void singleSeparatorsOfEitherKindMayMixButDoubledOnesEndTheNumber() {
        assertEquals("****-**** ****-1111", CardNumberMasker.mask("4111-1111 1111-1111"));
        assertEquals("(**** **** **** 1111)", CardNumberMasker.mask("(4111 1111 1111 1111)"));
        String doubled = "4111  1111  1111  1111";
        assertSame(doubled, CardNumberMasker.mask(doubled));
        String dashSpace = "4111- 1111 -1111-1111";
        assertSame(dashSpace, CardNumberMasker.mask(dashSpace));
    }

    @Test
    void lettersRightNextToTheDigitsDoNotHideACard() {
        assertEquals("card************1111x", CardNumberMasker.mask("card4111111111111111x"));
        assertEquals("abc************1111def", CardNumberMasker.mask("abc4111111111111111def"));
        assertEquals("pan=************4444&", CardNumberMasker.mask("pan=5555555555554444&"));
    }

    @Test
    void luhnValidRunsInsideUuidsAndHashesAreLeftAlone() {
        String hash = "68b11d3db2a2a69d4111111111111111fb3e7f3631661611dab5949698ca6370"; // SHA-256 hex holding a Visa
        for (String text : new String[] {
            "{\"prev\":\"" + hash + "\"}",
            hash,
            "md5=d4111111111111111fb3e7f363166160", // 32 hex characters
            "id 4111111111111111aaaaaaaaaaaaaaaa", // a dash-less UUID
            "41111111-1111-1111-1111-111111111111 200", // a UUID, then a number: the run goes on past the UUID
            "12 345 41111111-1111-1111-1111-111111111111", // numbers, then a UUID
            "x-41111111-1111-1111-1111-411111111111-1111", // UUID-shaped, glued to more digits
            "ABCDEF12-3456-4789-8411-111111111111"
        }) {
            assertSame(text, CardNumberMasker.mask(text), text);
        }
    }

    @Test
    void aCardNextToAUuidIsStillMasked() {
        assertEquals(
                "550e8400-e29b-41d4-a716-446655440000 ************1111",
                CardNumberMasker.mask("550e8400-e29b-41d4-a716-446655440000 4111111111111111"));
        assertEquals(
                "corr=550e8400-e29b-41d4-a716-446655440000 pan=**** **** **** 4444",
                CardNumberMasker.mask("corr=550e8400-e29b-41d4-a716-446655440000 pan=5555 5555 5555 4444"));
        // a UUID-shaped prefix glued to the card does not shelter it
        assertEquals(
                "00000000-0000-0000-0000-aaaaaaaa**** **** **** 1111",
                CardNumberMasker.mask("00000000-0000-0000-0000-aaaaaaaa4111 1111 1111 1111"));
        // a hex run too short for a hash or key
        assertEquals("ref a************1111f", CardNumberMasker.mask("ref a4111111111111111f"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-21T23:58:35Z to 2026-11-22T00:03:57.624766873Z",
                "2026-11-21 23:58:35,123 INFO took 1732233600123 ms",
                "20261121235835123456",
                "ts=1732233600123456789 seq=42",
                "4111111111111111411111111111111141111111111111114111111111111111",
                "id 00000000000000000000000000041111111111111111"
            })
    void timestampsAndRunsOfTwentyDigitsOrMoreAreLeftAlone(String text) {
        assertSame(text, CardNumberMasker.mask(text));
    }

    @Test
    void textWithFewerThanThirteenDigitsIsReturnedAsIs() {
        String text = "GET /customer-token/v1/tokens/kct-9f8e7d6c/order 200 25ms";
        assertSame(text, CardNumberMasker.mask(text));
        String twelve = "411111111111";
        assertSame(twelve, CardNumberMasker.mask(twelve));
        assertSame("", CardNumberMasker.mask(""));
        assertEquals(null, CardNumberMasker.mask(null));
    }

    @Test
    void aLongGroupedRunIsScannedWindowByWindow() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("4111 1111 1111 1111 7 ");
        }
        String masked = CardNumberMasker.mask(text.toString());
        assertEquals(text.toString().replace("4111 1111 1111 1111", "**** **** **** 1111"), masked);
    }

    @Test
    void theDigitsAMaskedNumberLeavesVisibleCannotFormAnotherNumberWithWhatFollows() {
        // Found by CardNumberMaskerFuzz: "2232" (a Mastercard 2-series prefix) and the 12 digits after it are
        // Luhn-valid.
        String masked = CardNumberMasker.mask("***********2232 000000313151");
        assertEquals("*************** ********3151", masked);
        assertEquals(masked, CardNumberMasker.mask(masked));
    }
}
