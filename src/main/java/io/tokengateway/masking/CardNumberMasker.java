package io.tokengateway.masking;

/**
 * Finds card numbers in text and masks all but their last four digits, keeping the text's shape
 * ({@code 4111 1111 1111 1111} becomes {@code **** **** **** 1111}).
 *
 * <p>A card number here is 13 to 19 digits, plain or grouped by single spaces or dashes, bounded by
 * non-digits, whose prefix belongs to an issuer that issues that length, and which passes the Luhn check.
 * Within a longer grouped run (a card followed by a year, say) every window of whole groups is tried, so a
 * card cannot hide by being glued to other numbers.
 *
 * <p>Digits that lie within a UUID ({@code 8-4-4-4-12} hex) or within a hex run of at least
 * {@value #MIN_HEX_RUN} characters (a hash, a key, a UUID without dashes) are never a card: about one random
 * UUID in 1 300 holds a Luhn-valid run with an issuer prefix (such as {@code 57e4-4801-8650-2241}), and masking
 * it would corrupt correlation ids, keys and hash chains.
 *
 * <p>One pass, no regular expression and no allocation until a card is found: every window holds at most 19
 * digits, so each character is looked at a bounded number of times. Masked output contains at most four
 * digits in a row, so masking twice changes nothing.
 */
public final class CardNumberMasker {

    private static final int MIN_DIGITS = 13;
    private static final int MAX_DIGITS = 19;
    private static final int UUID_LENGTH = 36;
    /** Shortest hex run taken for a hash or key: MD5 and dash-less UUIDs have 32 characters. */
    static final int MIN_HEX_RUN = 32;

    private CardNumberMasker() {}

    /** The text with every card number masked; the same instance when there is none. */
    public static String mask(String text) {
        // The four digits a masked number leaves visible can start another number with the digits after it
        // ("****2232 000000313151"): mask again until nothing changes, so masking masked text changes nothing.
        String masked = maskOnce(text);
        if (masked == text) {
            return text;
        }
        String again = maskOnce(masked);
        while (again != masked) {
            masked = again;
            again = maskOnce(masked);
        }
        return masked;
    }

    private static String maskOnce(String text) {
        if (text == null || !hasLongDigitRun(text)) {
            return text;
        }
        char[] out = null;
        int length = text.length();
        int i = 0;
        while (i < length) {
            if (!isDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int end = runEnd(text, i);
            out = maskRun(text, i, end, out);
            i = end;
        }
        return out == null ? text : new String(out);
    }

    /**
     * Fast path, allocation-free: some run of at least 13 digits, separators allowed, exists at all (so a text
     * with fewer than 13 digits, or with only short numbers such as timestamps, is returned at once).
     */
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
        int i = start + 1;
        int length = text.length();
        while (i < length) {
            char c = text.charAt(i);
            if (isDigit(c)) {
                i++;
            } else if (isSeparator(c) && i + 1 < length && isDigit(text.charAt(i + 1))) {
                i += 2;
            } else {
                break;
            }
        }
        return i;
    }

    /**
     * Masks the card numbers within the run text[start, end): from each group, the shortest window of whole
     * groups that is a card, then on after it. Returns {@code out}, created on the first card.
     */
    private static char[] maskRun(String text, int start, int end, char[] out) {
        int first = start;
        while (first < end) {
            int firstEnd = groupEnd(text, first, end);
            int next = firstEnd + 1; // the group after the first one, past its separator
            int digits = 0;
            int groupStart = first;
            while (groupStart < end) {
                int groupEnd = groupEnd(text, groupStart, end);
                digits += groupEnd - groupStart;
                if (digits > MAX_DIGITS) {
                    break;
                }
                if (digits >= MIN_DIGITS
                        && isCard(text, first, groupEnd, digits)
                        && !withinId(text, first, groupEnd)
                        && !straddlesUuid(text, first, groupEnd)) {
                    if (out == null) {
                        out = text.toCharArray();
                    }
                    maskDigits(out, first, groupEnd, digits);
                    next = groupEnd + 1;
                    break;
                }
                groupStart = groupEnd + 1;
            }
            first = next;
        }
        return out;
    }

    private static int groupEnd(String text, int from, int runEnd) {
        int i = from;
        while (i < runEnd && isDigit(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** text[from, to) holds {@code digits} digits and separators: issuer prefix for its length, and Luhn. */
    private static boolean isCard(String text, int from, int to, int digits) {
        int prefix6 = 0;
        int seen = 0;
        for (int i = from; seen < 6; i++) {
            char c = text.charAt(i);
            if (isDigit(c)) {
                prefix6 = prefix6 * 10 + (c - '0');
                seen++;
            }
        }
        return IssuerRanges.isIssued(prefix6, digits) && Luhn.isValid(text, from, to);
    }

    private static void maskDigits(char[] out, int from, int to, int digitCount) {
        int toMask = digitCount - 4;
        for (int i = from; i < to && toMask > 0; i++) {
            if (isDigit(out[i])) {
                out[i] = '*';
                toMask--;
            }
        }
    }

    /** True when text[from, to) lies within a UUID-shaped token or a long hex run. Checked only for card-like windows. */
    static boolean withinId(String text, int from, int to) {
        return withinUuid(text, from, to) || withinHexRun(text, from, to);
    }

    /**
     * True when text[from, to) is made of whole segments of a UUID and of the number written next to it, such as
     * {@code ...-111111111111 200} or {@code 12 41111111-1111-...}: two tokens, not a card. A window that starts
     * or ends inside a segment is not spared: a UUID-shaped prefix glued to a card does not hide it.
     */
    private static boolean straddlesUuid(String text, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if (!isSeparator(text.charAt(i))) {
                continue;
            }
            int endingHere = i - UUID_LENGTH;
            if (endingHere >= 0 && isUuidAt(text, endingHere) && isSegmentStart(from - endingHere)) {
                return true;
            }
            int startingNext = i + 1;
            if (startingNext + UUID_LENGTH <= text.length()
                    && isUuidAt(text, startingNext)
                    && isSegmentEnd(to - startingNext)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSegmentStart(int offset) {
        return offset == 0 || offset == 9 || offset == 14 || offset == 19 || offset == 24;
    }

    private static boolean isSegmentEnd(int offset) {
        return offset == 8 || offset == 13 || offset == 18 || offset == 23 || offset == UUID_LENGTH;
    }

    private static boolean withinUuid(String text, int from, int to) {
        for (int at = Math.max(0, to - UUID_LENGTH); at <= from && at + UUID_LENGTH <= text.length(); at++) {
            if (isUuidAt(text, at)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUuidAt(String text, int at) {
        for (int i = 0; i < UUID_LENGTH; i++) {
            char c = text.charAt(at + i);
            boolean dashPlace = i == 8 || i == 13 || i == 18 || i == 23;
            if (dashPlace ? c != '-' : !isHex(c)) {
                return false;
            }
        }
        return true;
    }

    /** Looks at most {@value #MIN_HEX_RUN} characters either side, so a huge hex blob stays a linear scan. */
    private static boolean withinHexRun(String text, int from, int to) {
        int left = from;
        int leftLimit = Math.max(0, from - MIN_HEX_RUN);
        while (left > leftLimit && isHex(text.charAt(left - 1))) {
            left--;
        }
        int right = from;
        int rightLimit = Math.min(text.length(), Math.max(to, left + MIN_HEX_RUN));
        while (right < rightLimit && isHex(text.charAt(right))) {
            right++;
        }
        return right >= to && right - left >= MIN_HEX_RUN;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '-';
    }
}
