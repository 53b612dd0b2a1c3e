package io.tokengateway.limit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.tokengateway.config.PolicyConfig.MerchantConfig;
import io.tokengateway.flow.Fact;

/** Every merchant's {@link LimitPolicy} of one policy, built and checked from {@code gateway.merchants.<id>.*}. */
public final class LimitPolicies {

    /** The limits of the policy the request runs under. */
    public static final Fact<LimitPolicies> FACT = new Fact<>("limit-policies");

    private final Map<String, LimitPolicy> policies;

    private LimitPolicies(Map<String, LimitPolicy> policies) {
        this.policies = Map.copyOf(policies);
    }

    /** The limits of {@code configured}; each problem is added to {@code problems}, naming the property. */
    public static LimitPolicies build(Map<String, MerchantConfig> configured, List<String> problems) {
        Map<String, LimitPolicy> built = new TreeMap<>();
        configured.forEach((id, merchant) -> built.put(id, policy(id, merchant, problems)));
        return new LimitPolicies(built);
    }

    /** For tests and tools: the limits of {@code configured}, or the problems thrown. */
    public static LimitPolicies of(Map<String, MerchantConfig> configured) {
        List<String> problems = new ArrayList<>();
        LimitPolicies built = build(configured, problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid merchant limits: " + String.join("; ", problems));
        }
        return built;
    }

    /** The limits of {@code merchantId} in the policy {@code exchange} runs under. */
    static LimitPolicy forMerchant(io.tokengateway.flow.Exchange exchange, String merchantId) {
        return exchange.require(FACT).of(merchantId);
    }

    /** The policy of one of the policy's merchants. */
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
