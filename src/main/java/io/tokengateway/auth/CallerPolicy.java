package io.tokengateway.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.inject.Singleton;

import io.tokengateway.config.GatewayConfig;
import io.tokengateway.merchant.MerchantRegistry;

/**
 * The caller policy of {@code gateway.callers.*}: default deny. A caller that is not listed may do
 * nothing; a listed caller may act only for its merchants and call only its operations. Every merchant
 * a caller names must be configured, or the gateway does not start.
 */
@Singleton
public class CallerPolicy {

    private final Map<String, CallerGrant> grants;

    CallerPolicy(GatewayConfig config, MerchantRegistry merchants) {
        Map<String, CallerGrant> built = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        config.callers().forEach((callerId, policy) -> {
            policy.merchants().stream()
                    .filter(merchantId -> !merchants.contains(merchantId))
                    .forEach(merchantId -> problems.add("gateway.callers." + callerId + ".merchants names merchant '"
                            + merchantId + "', which is not configured"));
            built.put(callerId, new CallerGrant(policy.merchants(), policy.operations()));
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid caller policy: " + String.join("; ", problems));
        }
        this.grants = Map.copyOf(built);
    }

    /** The caller's grant, or empty for a caller the policy does not know. */
    public Optional<CallerGrant> grantFor(Caller caller) {
        return Optional.ofNullable(grants.get(caller.id()));
    }
}
