package io.tokengateway.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One counter name with two labels, each counter registered once and then found by its label values.
 * {@code registry.counter(name, tags...)} on every request builds, sorts and hashes a meter id and looks it
 * up in the registry's map: a measurable share of a request's CPU for a counter that already exists.
 * The labels are configured ids and fixed outcome names, so the family stays small.
 */
public final class CounterFamily {

    private record Labels(String first, String second) {}

    private final MeterRegistry registry;
    private final String name;
    private final String firstLabel;
    private final String secondLabel;
    private final Map<Labels, Counter> counters = new ConcurrentHashMap<>();

    public CounterFamily(MeterRegistry registry, String name, String firstLabel, String secondLabel) {
        this.registry = registry;
        this.name = name;
        this.firstLabel = firstLabel;
        this.secondLabel = secondLabel;
    }

    /** The counter labelled {@code first} and {@code second}, registered on first use. */
    public Counter counter(String first, String second) {
        return counters.computeIfAbsent(
                new Labels(first, second),
                labels -> registry.counter(name, firstLabel, labels.first(), secondLabel, labels.second()));
    }
}
