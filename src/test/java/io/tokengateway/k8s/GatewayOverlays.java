package io.tokengateway.k8s;

import java.util.stream.Stream;

/** Every kustomization that runs a gateway container: what a test of the gateway's manifests goes through. */
final class GatewayOverlays {

    private GatewayOverlays() {}

    static Stream<String> all() {
        return Stream.of(
                "k8s/overlays/central",
                "k8s/overlays/sidecar",
                "k8s/overlays/central-sentinel",
                "k8s/overlays/central-cluster",
                "k8s/overlays/central-managed-redis");
    }
}
