package io.tokengateway.flow;

/**
 * The version of the policy (callers, merchants, limits) a request runs under, from its start to its end
 * (DESIGN.md 9a): the first 16 hex digits of SHA-256 over the policy file, or {@code static} without one.
 */
public record PolicyVersion(String value) {

    public static final Fact<PolicyVersion> FACT = new Fact<>("policy-version");
}
