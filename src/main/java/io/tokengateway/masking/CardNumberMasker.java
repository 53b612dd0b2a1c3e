package io.tokengateway.masking;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds card numbers in text and masks all but their last four digits, keeping the text's shape
 * ({@code 4111 1111 1111 1111} becomes {@code **** **** **** 1111}).
 *
 * <p>A card number here is 13 to 19 digits, plain or grouped by single spaces or dashes, bounded by
 * non-digits, whose prefix belongs to an issuer that issues that length, and which passes the Luhn check.
 * Within a longer grouped run (a card followed by a year, say) every window of whole groups is tried, so a
 * card cannot hide by being glued to other numbers. Digits inside a UUID ({@code 8-4-4-4-12} hex) are never a
 * card: about one random UUID in 1 300 holds a Luhn-valid run with an issuer prefix (such as
 * {@code 57e4-4801-8650-2241}), and masking it would corrupt correlation ids and keys.
 * Masked output contains at most four digits in a row, so masking twice changes nothing.
 */
public final class CardNumberMasker {

    private static final int MIN_DIGITS = 13;
    private static final int MAX_DIGITS = 19;
    private static final int UUID_LENGTH = 36;
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private CardNumberMasker() {
    }

    /** The text with every card number masked; the same instance when there is none. */
    public static String mask(String text) {
        if (text == null || !hasLongDigitRun(text)) {
            return text;
        }
        StringBuilder out = null;
        int i = 0;
        int length = text.length();
        while (i < length) {
            if (!isDigit(text.charAt(i)) || (i > 0 && isDigit(text.charAt(i - 1)))) {
                i++;
                continue;
            }
            int end = runEnd(text, i);
            if (out == null) {
                out = new StringBuilder(text);
            }
            maskRun(text, i, end, out);
            i = end;
        }
        String masked = out == null ? text : out.toString();
        return masked.equals(text) ? text : masked;
    }

    /** Cheap pre-check: some run of at least 13 digits and separators exists at all. */
    private static boolean hasLongDigitRun(String text) {
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isDigit(c)) {
                if (++digits >= MIN_DIGITS) {
                    return true;
                }
            } else if (!(isSeparator(c) && digits > 0)) {
                digits = 0;
            }
        }
        return false;
    }

    /** End (exclusive) of the run of digits starting at {@code start}, single separators allowed between digits. */
    private static int runEnd(String text, int start) {
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (isDigit(c)) {
                i++;
            } else if (isSeparator(c) && i + 1 < text.length() && isDigit(text.charAt(i + 1)) && isDigit(text.charAt(i - 1))) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    /** Masks the card numbers within the run text[start, end) in {@code out}, which holds a copy of text. */
    private static void maskRun(String text, int start, int end, StringBuilder out) {
        int[] groupStarts = new int[end - start + 1];
        int[] groupEnds = new int[end - start + 1];
        int groups = 0;
        int i = start;
        while (i < end) {
            groupStarts[groups] = i;
            while (i < end && isDigit(text.charAt(i))) {
                i++;
            }
            groupEnds[groups++] = i;
            i++; // skip the separator
        }
        if (insideUuid(text, start, end)) {
            return;
        }
        for (int first = 0; first < groups; first++) {
            int digits = 0;
            for (int last = first; last < groups; last++) {
                digits += groupEnds[last] - groupStarts[last];
                if (digits > MAX_DIGITS) {
                    break;
                }
                if (digits >= MIN_DIGITS && isCard(text, groupStarts, groupEnds, first, last, digits)) {
                    maskDigits(out, groupStarts[first], groupEnds[last], digits);
                    first = last; // continue after this card
                    break;
                }
            }
        }
    }

    private static boolean isCard(String text, int[] starts, int[] ends, int first, int last, int count) {
        StringBuilder digits = new StringBuilder(count);
        for (int g = first; g <= last; g++) {
            digits.append(text, starts[g], ends[g]);
        }
        return IssuerRanges.isIssued(digits) && Luhn.isValid(digits);
    }

    private static void maskDigits(StringBuilder out, int from, int to, int digitCount) {
        int toMask = digitCount - 4;
        for (int i = from; i < to && toMask > 0; i++) {
            if (isDigit(out.charAt(i))) {
                out.setCharAt(i, '*');
                toMask--;
            }
        }
    }

    /** True when text[start, end) lies within a UUID-shaped token. */
    private static boolean insideUuid(String text, int start, int end) {
        Matcher uuid = UUID.matcher(text).region(Math.max(0, start - UUID_LENGTH), Math.min(text.length(), end + UUID_LENGTH));
        while (uuid.find()) {
            if (uuid.start() <= start && uuid.end() >= end) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '-';
    }
}
