package io.tokengateway.masking;

import java.util.List;

/** Card numbers of every major brand and length, made valid by computing their Luhn check digit. */
public final class CardNumbers {

    private CardNumbers() {}

    /** {@code body} plus the Luhn check digit. */
    public static String withCheckDigit(String body) {
        for (int d = 0; d <= 9; d++) {
            if (Luhn.isValid(body + d)) {
                return body + d;
            }
        }
        throw new IllegalStateException();
    }

    /** Published test numbers, and generated ones for lengths the published ones do not cover. */
    public static List<String> everyBrandAndLength() {
        return List.of(
                "4111111111111111",
                "4012888888881881",
                "4222222222222",
                withCheckDigit("411111111111111111"), // Visa 16, 13, 19
                "5555555555554444",
                "5105105105105100",
                "2223003122003222",
                withCheckDigit("272012345678901"), // Mastercard
                "378282246310005",
                "371449635398431", // American Express
                "6011111111111117",
                "6011000990139424",
                withCheckDigit("644123456789012"),
                withCheckDigit("650012345678901234"), // Discover
                "30569309025904",
                "38520000023237",
                withCheckDigit("3612345678901"), // Diners Club
                "3530111333300000",
                "3566002020360505",
                withCheckDigit("358912345678901234"), // JCB
                "6200000000000005",
                withCheckDigit("621234567890123456"), // UnionPay 16, 19
                "6759649826438453",
                withCheckDigit("501812345678"),
                withCheckDigit("560012345678901"), // Maestro 16, 13, 16
                withCheckDigit("220012345678901"),
                withCheckDigit("220412345678901234"), // Mir 16, 19
                withCheckDigit("979212345678901"), // Troy
                withCheckDigit("12345678901234"), // UATP 15
                withCheckDigit("636368123456789")); // Elo
    }

    /** A card number grouped the way it is printed: 4-4-4-4(-3), or 4-6-5 for 15 digits. */
    public static String grouped(String card, char separator) {
        StringBuilder out = new StringBuilder();
        int[] groups = card.length() == 15 ? new int[] {4, 6, 5} : new int[] {4, 4, 4, 4, 4};
        int at = 0;
        for (int size : groups) {
            if (at >= card.length()) {
                break;
            }
            if (at > 0) {
                out.append(separator);
            }
            out.append(card, at, Math.min(card.length(), at + size));
            at += size;
        }
        return out.toString();
    }
}
