package io.tokengateway.masking;

/** The Luhn (mod 10) check digit test every payment card number passes. */
final class Luhn {

    private Luhn() {}

    static boolean isValid(CharSequence digits) {
        return isValid(digits, 0, digits.length());
    }

    /** The same test over the digits of text[from, to), skipping anything else (the separators of a grouped number). */
    static boolean isValid(CharSequence text, int from, int to) {
        int sum = 0;
        boolean doubleIt = false;
        for (int i = to - 1; i >= from; i--) {
            int d = text.charAt(i) - '0';
            if (d < 0 || d > 9) {
                continue;
            }
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }
}
