package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokengateway.testing.FreePort;
import io.tokengateway.testing.PackagedGateway;

/** The production build has no provider simulator: asked to start one, it neither listens nor logs a word of it. */
class ProductionHasNoSimulatorIT {

    @Test
    void theSimulatorDoesNotRunInTheProductionProfileEvenWhenEnabled() {
        int simulatorPort = FreePort.pick();
        try (PackagedGateway gateway = PackagedGateway.start(
                "no-simulator",
                Map.of("gateway.sandbox.enabled", "true", "gateway.sandbox.port", String.valueOf(simulatorPort)))) {
            assertThrows(
                    IOException.class,
                    () -> new Socket(InetAddress.getLoopbackAddress(), simulatorPort).close(),
                    "something listens on the simulator's port");
            assertFalse(gateway.output().contains("Provider sandbox listening"));
        }
    }
}
