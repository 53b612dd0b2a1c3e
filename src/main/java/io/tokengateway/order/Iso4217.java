package io.tokengateway.order;

import java.util.Currency;
import java.util.Set;
import java.util.stream.Collectors;

/** ISO 4217 currency codes, as the JDK knows them. */
final class Iso4217 {

    private static final Set<String> CODES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode)
            .collect(Collectors.toUnmodifiableSet());

    private Iso4217() {}

    /** True for a known code; the provider's pattern allows lower case, so the check ignores case. */
    static boolean isCode(String code) {
        return CODES.contains(code.toUpperCase(java.util.Locale.ROOT));
    }
}
