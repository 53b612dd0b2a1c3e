package io.tokengateway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import io.tokengateway.sandbox.RecordedRequest;

/** Assertions on what reached the provider sandbox. */
public final class Upstream {

    /** Calls the gateway makes for one request when every attempt fails retryably: 1 + max-retries (2). */
    public static final int ATTEMPTS = 3;

    private Upstream() {}

    public static RecordedRequest single(List<RecordedRequest> received) {
        assertEquals(1, received.size(), () -> "expected exactly one upstream call, got " + received);
        return received.get(0);
    }

    public static String basic(String username, String password) {
        return "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
