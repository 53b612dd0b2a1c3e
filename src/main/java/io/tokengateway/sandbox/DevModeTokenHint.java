package io.tokengateway.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;

/**
 * Dev mode only: the OIDC Dev Service listens on a random port, so this tells a newcomer where to get a
 * token. It logs the token endpoint and writes the issuer URL to {@code target/dev-oidc-url}, which the
 * README's curl commands read.
 */
@ApplicationScoped
@IfBuildProfile("dev")
public class DevModeTokenHint {

    private static final Logger LOG = Logger.getLogger(DevModeTokenHint.class);

    void announce(@Observes StartupEvent event, @ConfigProperty(name = "quarkus.oidc.auth-server-url") String issuer) {
        LOG.infof(
                "Dev OIDC provider: get a caller token with  curl -s -d grant_type=password -d username=alice "
                        + "-d password=alice -d client_id=quarkus-app -d client_secret=secret %s/token",
                issuer);
        try {
            Files.writeString(Path.of("target", "dev-oidc-url"), issuer, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warnf("Could not write target/dev-oidc-url: %s", e.getClass().getSimpleName());
        }
    }
}
