package io.tokengateway.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.tokengateway.config.PolicyConfig.CallerPolicyConfig;
import io.tokengateway.flow.Fact;
import io.tokengateway.merchant.MerchantRegistry;

/**
 * The caller policy of {@code gateway.callers.*}: default deny. A caller that is not listed may do nothing; a
 * listed caller may act only for its merchants and call only its operations. Every merchant a caller names must
 * be one of the policy's merchants, or the policy is invalid.
 */
public final class CallerPolicy {

    /** The caller policy the request runs under. */
    public static final Fact<CallerPolicy> FACT = new Fact<>("caller-policy");

    private final Map<String, CallerGrant> grants;

    private CallerPolicy(Map<String, CallerGrant> grants) {
        this.grants = Map.copyOf(grants);
    }

    /** The grants of {@code configured}; each problem is added to {@code problems}, naming the property. */
    public static CallerPolicy build(
            Map<String, CallerPolicyConfig> configured, MerchantRegistry merchants, List<String> problems) {
        Map<String, CallerGrant> built = new TreeMap<>();
        configured.forEach((callerId, policy) -> {
            policy.merchants().stream()
                    .filter(merchantId -> !merchants.contains(merchantId))
                    .forEach(merchantId -> problems.add("gateway.callers." + callerId + ".merchants names merchant '"
                            + merchantId + "', which is not configured"));
            built.put(callerId, new CallerGrant(policy.merchants(), policy.operations()));
        });
        return new CallerPolicy(built);
    }

    /** The caller's grant, or empty for a caller the policy does not know. */
    public Optional<CallerGrant> grantFor(Caller caller) {
        return Optional.ofNullable(grants.get(caller.id()));
    }

    /** Every caller's grant, by caller id. */
    public Map<String, CallerGrant> grants() {
        return grants;
    }
}
