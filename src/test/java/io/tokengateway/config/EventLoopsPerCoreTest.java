package io.tokengateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

class EventLoopsPerCoreTest {

    @Test
    void oneEventLoopPerAvailableCoreUnlessConfigured() {
        String cores = Integer.toString(Runtime.getRuntime().availableProcessors());
        assertEquals(
                cores,
                new SmallRyeConfigBuilder()
                        .withSources(new EventLoopsPerCore())
                        .build()
                        .getRawValue(EventLoopsPerCore.PROPERTY));
        assertEquals(
                "7",
                new SmallRyeConfigBuilder()
                        .withSources(new EventLoopsPerCore())
                        .withSources(new PropertiesConfigSource(
                                java.util.Map.of(EventLoopsPerCore.PROPERTY, "7"), "application.properties", 250))
                        .build()
                        .getRawValue(EventLoopsPerCore.PROPERTY));
    }
}
