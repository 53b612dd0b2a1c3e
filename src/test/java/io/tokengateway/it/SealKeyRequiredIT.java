package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokengateway.testing.PackagedGateway;

/**
 * The packaged gateway in production mode refuses to start without {@code gateway.state.seal-key} (DESIGN
 * section 4): it exits non-zero and says which property is missing, instead of failing its first order.
 */
class SealKeyRequiredIT {

    @Test
    void withoutASealKeyTheGatewayExitsNamingTheProperty() {
        // An empty value is no value: as GATEWAY_STATE_SEAL_KEY unset (application.properties maps it).
        PackagedGateway.Verdict refused = PackagedGateway.startRefused(
                "seal-key-required", Map.of("gateway.state.seal-key", ""), Duration.ofSeconds(60));
        assertNotEquals(-1, refused.exitCode(), "the gateway is still running:\n" + refused.output());
        assertNotEquals(0, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("gateway.state.seal-key is required in production"), refused.output());
    }
}
