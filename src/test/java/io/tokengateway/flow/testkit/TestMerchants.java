package io.tokengateway.flow.testkit;

import java.util.HashMap;
import java.util.Map;

/** Configuration properties for test merchants, named for what they are for, to feed {@link TestConfig}. */
public final class TestMerchants {

    private TestMerchants() {}

    /** A merchant with default limits at {@code baseUrl}. */
    public static Map<String, String> merchant(String id, String baseUrl) {
        Map<String, String> properties = new HashMap<>();
        properties.put("merchants." + id + ".base-url", baseUrl);
        properties.put("merchants." + id + ".username", id + "-user");
        properties.put("merchants." + id + ".password", id + "-secret");
        return properties;
    }

    /** {@code base} plus more properties. */
    public static Map<String, String> with(Map<String, String> base, String... nameValues) {
        Map<String, String> all = new HashMap<>(base);
        for (int i = 0; i < nameValues.length; i += 2) {
            all.put(nameValues[i], nameValues[i + 1]);
        }
        return all;
    }
}
