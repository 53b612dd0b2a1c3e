package io.tokengateway.limit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

import io.tokengateway.config.GatewayConfig;
import io.tokengateway.config.GatewayConfig.MerchantConfig;

/** Every merchant's {@link LimitPolicy}, built and checked at start-up from {@code gateway.merchants.<id>.*}. */
@Singleton
public class LimitPolicies {

    private final Map<String, LimitPolicy> policies;

    LimitPolicies(GatewayConfig config) {
        List<String> problems = new ArrayList<>();
        Map<String, LimitPolicy> built = new TreeMap<>();
        config.merchants().forEach((id, merchant) -> built.put(id, policy(id, merchant, problems)));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid merchant limits: " + String.join("; ", problems));
        }
        this.policies = Map.copyOf(built);
    }

    /** The policy of a configured merchant. */
    public LimitPolicy of(String merchantId) {
        return policies.get(merchantId);
    }

    private static LimitPolicy policy(String id, MerchantConfig merchant, List<String> problems) {
        String prefix = "gateway.merchants." + id;
        double perSecond = merchant.rateLimit().perSecond();
        int burst = merchant.rateLimit().burst();
        if (!(perSecond > 0) || perSecond > 1_000_000) {
            problems.add(prefix + ".rate-limit.per-second must be above 0 and at most 1000000");
        }
        if (burst < 1) {
            problems.add(prefix + ".rate-limit.burst must be at least 1");
        }
        Set<String> currencies = merchant.orderLimit().currencies().orElse(Set.of()).stream()
                .map(code -> code.trim().toUpperCase(Locale.ROOT))
                .collect(Collectors.toSet());
        merchant.orderLimit().maxAmount().ifPresent(max -> {
            if (max < 1) {
                problems.add(prefix + ".order-limit.max-amount must be at least 1");
            }
        });
        merchant.orderLimit().dailyAmount().ifPresent(max -> {
            if (max < 1) {
                problems.add(prefix + ".order-limit.daily-amount must be at least 1");
            }
        });
        return new LimitPolicy(
                perSecond,
                burst,
                currencies,
                merchant.orderLimit().maxAmount(),
                merchant.orderLimit().dailyAmount(),
                merchant.shadow());
    }
}
