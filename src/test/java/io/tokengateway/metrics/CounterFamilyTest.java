package io.tokengateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class CounterFamilyTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CounterFamily family = new CounterFamily(registry, "gateway.test", "merchant", "outcome");

    @Test
    void eachLabelPairIsOneRegisteredCounterFoundAgain() {
        family.counter("m1", "allowed").increment();
        family.counter("m1", "allowed").increment();
        family.counter("m1", "limited").increment();
        family.counter("m2", "allowed").increment(3);

        assertSame(family.counter("m1", "allowed"), family.counter("m1", "allowed"));
        assertEquals(
                2.0,
                registry.get("gateway.test")
                        .tags("merchant", "m1", "outcome", "allowed")
                        .counter()
                        .count());
        assertEquals(
                1.0,
                registry.get("gateway.test")
                        .tags("merchant", "m1", "outcome", "limited")
                        .counter()
                        .count());
        assertEquals(
                3.0,
                registry.get("gateway.test")
                        .tags("merchant", "m2", "outcome", "allowed")
                        .counter()
                        .count());
        assertEquals(3, registry.get("gateway.test").counters().size());
    }
}
