package io.tokengateway.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * A container's {@code JAVA_OPTS_APPEND} replaces the image's, so every gateway container in the manifests must
 * repeat the image's flags, the AppCDS archive above all (without {@code -XX:SharedArchiveFile} the pod never
 * uses the archive the image carries). The image's flags are read from {@code src/main/docker/Dockerfile.jvm},
 * so the two cannot drift. The listen address is the one flag a container may leave out: the sidecar listens on
 * localhost only, which its properties say and a system property would override.
 */
class JvmFlagsManifestTest {

    private static final Pattern IMAGE_FLAGS = Pattern.compile("(?m)^ENV JAVA_OPTS_APPEND=\"([^\"]*)\"");
    private static final String LISTEN_ADDRESS = "-Dquarkus.http.host=";

    @ParameterizedTest
    @MethodSource("io.tokengateway.k8s.GatewayOverlays#all")
    void everyGatewayContainerKeepsTheImagesJvmFlags(String kustomization) throws IOException {
        List<String> imageFlags = imageFlags();
        assertTrue(imageFlags.contains("-XX:SharedArchiveFile=/deployments/app-cds.jsa"), imageFlags.toString());
        List<Container> gateways = new ArrayList<>();
        for (HasMetadata object : KubernetesManifestsTest.render(kustomization)) {
            if (object instanceof Deployment deployment) {
                var pod = deployment.getSpec().getTemplate().getSpec();
                Stream.concat(pod.getContainers().stream(), pod.getInitContainers().stream())
                        .filter(c -> c.getImage() != null && c.getImage().contains("tokengateway"))
                        .forEach(gateways::add);
            }
        }
        assertFalse(gateways.isEmpty(), kustomization + " runs no gateway");
        for (Container gateway : gateways) {
            List<String> flags = gateway.getEnv().stream()
                    .filter(env -> "JAVA_OPTS_APPEND".equals(env.getName()))
                    .map(EnvVar::getValue)
                    .findFirst()
                    .map(value -> Arrays.asList(value.trim().split("\\s+")))
                    .orElse(imageFlags); // not set: the image's own apply
            for (String flag : imageFlags) {
                if (!flag.startsWith(LISTEN_ADDRESS)) {
                    assertTrue(flags.contains(flag), kustomization + ": " + gateway.getName() + " drops " + flag);
                }
            }
            assertEquals(
                    1,
                    flags.stream()
                            .filter(f -> f.startsWith("-XX:SharedArchiveFile="))
                            .count(),
                    "one AppCDS archive");
        }
    }

    private static List<String> imageFlags() throws IOException {
        String dockerfile =
                Files.readString(Path.of("src", "main", "docker", "Dockerfile.jvm"), StandardCharsets.UTF_8);
        Matcher flags = IMAGE_FLAGS.matcher(dockerfile);
        assertTrue(flags.find(), "the Dockerfile sets JAVA_OPTS_APPEND");
        assertTrue(
                dockerfile.contains("-Dquarkus.package.jar.appcds.enabled=true"),
                "the documented build command writes the app-cds.jsa its COPY line needs");
        return Arrays.asList(flags.group(1).trim().split("\\s+"));
    }
}
