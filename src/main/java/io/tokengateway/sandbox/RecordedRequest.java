package io.tokengateway.sandbox;

import java.util.List;
import java.util.Map;

/**
 * One request as the simulated provider received it, kept so tests can see exactly what the gateway
 * sent upstream.
 *
 * @param headers header name (lower case) to its values
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body) {

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
