package io.tokengateway.testing;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The real dependencies every {@code @QuarkusTest} runs against, started once for the whole run:
 * WireMock as the OIDC provider (its JWKS verifies the tokens {@link Tokens} signs), a real
 * {@code redis-server}, and a free port for the provider sandbox.
 */
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisServerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SandboxPortResource.class, scope = TestResourceScope.GLOBAL)
public final class GatewayTestResources {

    private GatewayTestResources() {}
}
