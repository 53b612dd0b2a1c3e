package io.tokengateway.flow;

/**
 * The key of one typed fact a step establishes on the {@link Exchange} for later steps, the audit
 * record and metrics (the caller, the merchant, a reservation...). Each concern declares the facts
 * it owns beside its own types, so the flow knows none of them. Compared by identity.
 *
 * @param <T> the type of the fact's value
 */
public final class Fact<T> {

    private final String name;

    public Fact(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
