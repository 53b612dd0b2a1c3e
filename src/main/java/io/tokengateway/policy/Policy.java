package io.tokengateway.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.tokengateway.auth.CallerPolicy;
import io.tokengateway.limit.LimitPolicies;
import io.tokengateway.merchant.MerchantRegistry;

/**
 * One immutable policy: who may call, the merchants they act for, and those merchants' limits. A request runs
 * under the one that was current when it started ({@link PolicyStep}).
 *
 * @param version       first 16 hex digits of SHA-256 over the policy file ({@code static} without one)
 * @param passwordFiles the files the merchants' passwords were read from: watched for rotations
 */
public record Policy(
        String version,
        CallerPolicy callers,
        MerchantRegistry merchants,
        LimitPolicies limits,
        Set<Path> passwordFiles) {

    /** Version of a policy taken from the static configuration. */
    public static final String STATIC = "static";

    public Policy {
        passwordFiles = Set.copyOf(passwordFiles);
    }

    /**
     * Each merchant with everything the policy says of it (account, credentials, limits), for telling which
     * merchants a change touched; compares credentials without printing them.
     */
    Map<String, Object> merchantsById() {
        Map<String, Object> byId = new TreeMap<>();
        merchants.all().forEach(merchant -> byId.put(merchant.id(), List.of(merchant, limits.of(merchant.id()))));
        return byId;
    }

    /** Each caller's grant, by caller id. */
    Map<String, Object> callersById() {
        return new TreeMap<>(callers.grants());
    }
}
