package io.tokengateway.auth;

import java.util.Set;

import io.tokengateway.flow.Operation;

/** What one caller may do: act for these merchants, call these operations. */
public record CallerGrant(Set<String> merchants, Set<Operation> operations) {

    public CallerGrant {
        merchants = Set.copyOf(merchants);
        operations = Set.copyOf(operations);
    }
}
