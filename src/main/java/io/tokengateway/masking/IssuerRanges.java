package io.tokengateway.masking;

import java.util.List;

/**
 * Card issuer prefixes (IIN ranges) with the lengths each brand issues. A digit run is only a card number
 * when its prefix belongs to a brand that issues numbers of exactly its length: this is what keeps
 * timestamps (epoch ms and ns start with 1), phone numbers and most ids from being taken for cards.
 */
final class IssuerRanges {

    /** Digits of the prefix every candidate is reduced to: the longest prefix in the table. */
    private static final int PREFIX_DIGITS = 6;

    /**
     * Prefixes from {@code low} to {@code high} (same number of digits), for numbers of {@code minLength..maxLength};
     * {@code divisor} turns a six-digit prefix into one of this range's width, so a check parses nothing.
     */
    private record Range(String brand, int low, int high, int minLength, int maxLength, int divisor) {

        Range(String brand, int low, int high, int minLength, int maxLength) {
            this(
                    brand,
                    low,
                    high,
                    minLength,
                    maxLength,
                    pow10(PREFIX_DIGITS - Integer.toString(low).length()));
        }

        boolean matches(int prefix6, int length) {
            if (length < minLength || length > maxLength) {
                return false;
            }
            int prefix = prefix6 / divisor;
            return prefix >= low && prefix <= high;
        }
    }

    private static final List<Range> RANGES = List.of(
            new Range("Visa", 4, 4, 13, 19),
            new Range("Mastercard", 51, 55, 16, 16),
            new Range("Mastercard", 2221, 2720, 16, 16),
            new Range("American Express", 34, 34, 15, 15),
            new Range("American Express", 37, 37, 15, 15),
            new Range("Discover", 6011, 6011, 16, 19),
            new Range("Discover", 644, 649, 16, 19),
            new Range("Discover", 65, 65, 16, 19),
            new Range("Diners Club", 300, 305, 14, 19),
            new Range("Diners Club", 3095, 3095, 14, 19),
            new Range("Diners Club", 36, 36, 14, 19),
            new Range("Diners Club", 38, 39, 14, 19),
            new Range("JCB", 3528, 3589, 16, 19),
            new Range("UnionPay", 62, 62, 16, 19),
            new Range("UnionPay", 81, 81, 16, 19),
            new Range("Maestro", 50, 50, 13, 19),
            new Range("Maestro", 56, 58, 13, 19),
            new Range("Maestro", 639, 639, 13, 19),
            new Range("Maestro", 67, 67, 13, 19),
            new Range("Mir", 2200, 2204, 16, 19),
            new Range("RuPay", 60, 60, 16, 16),
            new Range("RuPay", 508, 508, 16, 16),
            new Range("RuPay", 353, 353, 16, 16),
            new Range("RuPay", 356, 356, 16, 16),
            new Range("Verve", 506099, 506198, 16, 19),
            new Range("Verve", 650002, 650027, 16, 19),
            new Range("Troy", 9792, 9792, 16, 16),
            new Range("UATP", 1, 1, 15, 15),
            new Range("Elo", 636368, 636368, 16, 16),
            new Range("Elo", 504175, 504175, 16, 16),
            new Range("Elo", 451416, 451416, 16, 16),
            new Range("Hipercard", 606282, 606282, 16, 16),
            new Range("InstaPayment", 637, 639, 16, 16));

    private IssuerRanges() {}

    /** True when {@code digits} (digits only, at least six) has the prefix of a brand issuing its length. */
    static boolean isIssued(CharSequence digits) {
        return isIssued(Integer.parseInt(digits, 0, PREFIX_DIGITS, 10), digits.length());
    }

    /** True when a number of {@code length} digits whose first six digits are {@code prefix6} belongs to a brand. */
    static boolean isIssued(int prefix6, int length) {
        for (Range range : RANGES) {
            if (range.matches(prefix6, length)) {
                return true;
            }
        }
        return false;
    }

    private static int pow10(int exponent) {
        int result = 1;
        for (int i = 0; i < exponent; i++) {
            result *= 10;
        }
        return result;
    }
}
