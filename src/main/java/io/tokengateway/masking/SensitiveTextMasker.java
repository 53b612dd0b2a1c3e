package io.tokengateway.masking;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a piece of text (a log message, an exception message, an access-log line) so that it carries
 * no card number, customer token or credential:
 * <ul>
 * <li>card numbers: all but the last four digits masked ({@link CardNumberMasker});</li>
 * <li>customer tokens, in token paths ({@code /tokens/<token>}, in any case, slashes repeated or not) and
 * {@code customer_token=} pairs: first four characters and {@code …};</li>
 * <li>{@code Authorization} values, bearer and Basic credentials, JWTs, and {@code password=}/{@code secret=}/
 * {@code api_key=} values: removed;</li>
 * <li>the configured merchant passwords, and their Basic encodings, wherever they appear: removed.</li>
 * </ul>
 * Masking is idempotent: masked text is left as it is.
 */
public final class SensitiveTextMasker {

    static final String REMOVED = "[removed]";

    private static final Pattern TOKEN_PAIR =
            Pattern.compile("(?i)(customer[_-]?token[\"']?\\s*[:=]\\s*[\"']?)([A-Za-z0-9][A-Za-z0-9:._-]{4,})");
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)((?:proxy-)?authorization[\"']?\\s*[:=]\\s*[\"']?)(?!\\[removed\\])(?:(?:bearer|basic|digest)\\s+)?[^\\s,;\"'}\\]]+");
    private static final Pattern SCHEME_CREDENTIAL =
            Pattern.compile("(?i)\\b(Bearer|Basic)\\s+(?!\\[removed\\])[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");
    private static final Pattern SECRET_PAIR = Pattern.compile(
            "(?i)\\b(password|passwd|pwd|secret|client_secret|api[_-]?key)([\"']?\\s*[:=]\\s*[\"']?)(?!\\[removed\\])[^\\s,;\"'&}\\]]+");

    /**
     * Secrets learnt after start (a password read from a file, a rotated one), known to every masker: the log
     * filter is built by the logging subsystem before anything reads a password file. Only ever grows: a log
     * line about a request that ran under the old policy is masked as well.
     */
    private static volatile List<String> learnt = List.of();

    private final List<String> knownSecrets;

    /** @param secrets values that must never appear (merchant passwords); their Basic encodings are added */
    public SensitiveTextMasker(Collection<String> secrets) {
        this.knownSecrets = withEncodings(List.of(), secrets);
    }

    /** Makes every masker remove {@code secrets} (and their Basic encodings) from now on. */
    public static synchronized void learn(Collection<String> secrets) {
        learnt = withEncodings(learnt, secrets);
    }

    private static List<String> withEncodings(List<String> known, Collection<String> secrets) {
        java.util.Set<String> all = new java.util.LinkedHashSet<>(known);
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                all.add(secret);
                all.add(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
            }
        }
        List<String> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingInt(String::length).reversed()); // longest first: no partial leftovers
        return List.copyOf(sorted);
    }

    public String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = removeAll(removeAll(text, knownSecrets), learnt);
        // Most text holds none of the keywords: one lower-casing spares every regex scan.
        String lower = masked.toLowerCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (rule.mayMatch(lower)) {
                String replaced = replace(rule.pattern(), masked, rule.replacement());
                if (replaced != masked) {
                    masked = replaced;
                    lower = masked.toLowerCase(Locale.ROOT);
                }
            }
        }
        return CardNumberMasker.mask(maskTokensInPaths(masked));
    }

    private static String removeAll(String text, List<String> secrets) {
        String masked = text;
        for (String secret : secrets) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, REMOVED);
            }
        }
        return masked;
    }

    /** A customer token as it may be shown: its first four characters and an ellipsis. */
    public static String shortToken(String token) {
        if (token == null) {
            return null;
        }
        return token.length() <= 4 ? token + "…" : token.substring(0, 4) + "…";
    }

    private interface Replacement {
        String apply(Matcher match);
    }

    /** A pattern, the lower-case keywords without one of which it cannot match, and what a match becomes. */
    private record Rule(Pattern pattern, List<String> keywords, Replacement replacement) {

        boolean mayMatch(String lowerCaseText) {
            for (String keyword : keywords) {
                if (lowerCaseText.contains(keyword)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** In this order: credentials before JWTs, so an Authorization value is removed whole. */
    private static final List<Rule> RULES = List.of(
            new Rule(AUTHORIZATION, List.of("authorization"), m -> m.group(1) + REMOVED),
            new Rule(SCHEME_CREDENTIAL, List.of("bearer", "basic"), m -> m.group(1) + " " + REMOVED),
            new Rule(JWT, List.of("eyj"), m -> REMOVED),
            new Rule(
                    SECRET_PAIR,
                    List.of("password", "passwd", "pwd", "secret", "api_key", "api-key", "apikey"),
                    m -> m.group(1) + m.group(2) + REMOVED),
            new Rule(TOKEN_PAIR, List.of("token"), m -> m.group(1) + shortToken(m.group(2))));

    private static final String TOKENS = "tokens";
    /** A token in a path is at least this long; shorter segments ({@code kct-…}, already masked) are left alone. */
    private static final int MIN_PATH_TOKEN = 5;

    /**
     * Shortens the segment after every {@code /tokens/} path segment, ignoring case and repeated slashes
     * ({@code /Tokens//<token>}, {@code /TOKENS///<token>}). One pass, from slash to slash.
     */
    static String maskTokensInPaths(String text) {
        StringBuilder out = null;
        int copied = 0;
        int length = text.length();
        int slash = text.indexOf('/');
        while (slash >= 0) {
            int next = slash + 1;
            if (isTokensSegment(text, next)) {
                int tokenStart = next + TOKENS.length();
                while (tokenStart < length && text.charAt(tokenStart) == '/') {
                    tokenStart++;
                }
                int tokenEnd = tokenEnd(text, tokenStart);
                if (tokenStart > next + TOKENS.length() && tokenEnd - tokenStart >= MIN_PATH_TOKEN) {
                    if (out == null) {
                        out = new StringBuilder(length);
                    }
                    out.append(text, copied, tokenStart).append(shortToken(text.substring(tokenStart, tokenEnd)));
                    copied = tokenEnd;
                }
                next = Math.max(next, tokenStart);
            }
            slash = next < length ? text.indexOf('/', next) : -1;
        }
        return out == null ? text : out.append(text, copied, length).toString();
    }

    /** "tokens", in any case (ASCII only), at {@code at}. */
    private static boolean isTokensSegment(String text, int at) {
        if (at + TOKENS.length() > text.length()) {
            return false;
        }
        for (int i = 0; i < TOKENS.length(); i++) {
            char c = text.charAt(at + i);
            if (c != TOKENS.charAt(i) && c != Character.toUpperCase(TOKENS.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** End of a path token: a letter, digit or {@code %} first, then letters, digits and {@code :._%-}. */
    private static int tokenEnd(String text, int start) {
        if (start >= text.length() || !(isAlphanumeric(text.charAt(start)) || text.charAt(start) == '%')) {
            return start;
        }
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (!(isAlphanumeric(c) || c == ':' || c == '.' || c == '_' || c == '%' || c == '-')) {
                break;
            }
            i++;
        }
        return i;
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static String replace(Pattern pattern, String text, Replacement replacement) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        do {
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(matcher)));
        } while (matcher.find());
        matcher.appendTail(out);
        return out.toString();
    }
}
