package io.tokengateway.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Gives the provider sandbox a free port; the test merchants' base URLs point at it. */
public class SandboxPortResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("gateway.sandbox.port", String.valueOf(FreePort.pick()));
    }

    @Override
    public void stop() {}
}
