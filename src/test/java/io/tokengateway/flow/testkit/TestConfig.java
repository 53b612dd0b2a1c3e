package io.tokengateway.flow.testkit;

import java.util.HashMap;
import java.util.Map;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.tokengateway.config.GatewayConfig;

/** The gateway's configuration mapping built from a few properties, with every default, outside Quarkus. */
public final class TestConfig {

    private TestConfig() {}

    /** {@code gateway.*} from {@code properties} (names without the {@code gateway.} prefix) and the defaults. */
    public static GatewayConfig gateway(Map<String, String> properties) {
        Map<String, String> prefixed = new HashMap<>();
        properties.forEach((name, value) -> prefixed.put("gateway." + name, value));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                .withSources(new PropertiesConfigSource(prefixed, "test", 100))
                .withConverter(
                        io.quarkus.runtime.configuration.MemorySize.class,
                        100,
                        new io.quarkus.runtime.configuration.MemorySizeConverter())
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withValidateUnknown(false) // callers and merchants belong to PolicyConfig
                .build();
        return config.getConfigMapping(GatewayConfig.class);
    }

    /** {@code gateway.callers.*} and {@code gateway.merchants.*} from {@code properties} (names without {@code gateway.}). */
    public static io.tokengateway.config.PolicyConfig policy(Map<String, String> properties) {
        Map<String, String> prefixed = new HashMap<>();
        properties.forEach((name, value) -> prefixed.put("gateway." + name, value));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(io.tokengateway.config.PolicyConfig.class)
                .withSources(new PropertiesConfigSource(prefixed, "test", 100))
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withValidateUnknown(false)
                .build();
        return config.getConfigMapping(io.tokengateway.config.PolicyConfig.class);
    }

    /** The merchants' limits of {@code properties} (names without {@code gateway.}). */
    public static io.tokengateway.limit.LimitPolicies limits(Map<String, String> properties) {
        return io.tokengateway.limit.LimitPolicies.of(policy(properties).merchants());
    }

    public static GatewayConfig gateway() {
        return gateway(Map.of());
    }
}
