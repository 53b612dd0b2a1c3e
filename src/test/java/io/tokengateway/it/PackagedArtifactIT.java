package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The packaged application ({@code target/quarkus-app}, what the image copies) holds runtime dependencies only:
 * no test, build or dev-mode tooling (DESIGN.md section 13). A dependency that drags such a jar in (a dev service
 * in compile scope did: Testcontainers, docker-java, JUnit, aesh, quarkus-core-deployment) fails the build here.
 * smallrye-jwt-build stays: quarkus-oidc-common signs with it at run time (client assertions), it is no tooling.
 */
class PackagedArtifactIT {

    private static final Path APP = Path.of("target", "quarkus-app");

    /** File names are {@code groupId.artifactId-version.jar}; each pattern names a kind of tooling. */
    private static final List<Pattern> TOOLING = Stream.of(
                    "testcontainers",
                    "docker-java",
                    "duct-tape", // Testcontainers' own
                    "junit",
                    "opentest4j",
                    "apiguardian",
                    "jupiter",
                    "jqwik",
                    "archunit",
                    "mockito",
                    "hamcrest",
                    "assertj",
                    "awaitility",
                    "rest-assured",
                    "wiremock",
                    "jmh",
                    "aesh", // the dev-mode console
                    "jansi",
                    "-deployment-", // build-time modules of extensions
                    "quarkus-core-deployment",
                    "quarkus-bootstrap-core",
                    "quarkus-builder",
                    "quarkus-class-change-agent", // dev mode's hot reload
                    "quarkus-junit",
                    "quarkus-test-",
                    // Dev services (quarkus-devservices-oidc, -common, -deployment). quarkus-devservices-<version>
                    // itself is
                    // a runtime dependency of quarkus-oidc: four config-source classes, no container tooling.
                    "devservices-[a-z]",
                    "gizmo", // build-time bytecode generation
                    "org\\.apache\\.maven",
                    "org\\.eclipse\\.sisu",
                    "kubernetes-client",
                    "opentelemetry-sdk-testing",
                    "byte-buddy-agent")
            .map(Pattern::compile)
            .toList();

    @Test
    void libHoldsNoTestBuildOrDevModeJar() throws IOException {
        List<String> jars = jars("main", "boot");
        assertTrue(
                jars.stream().anyMatch(jar -> jar.startsWith("io.quarkus.quarkus-oidc-")), "not the gateway: " + jars);
        List<String> tooling = jars.stream()
                .filter(jar -> TOOLING.stream()
                        .anyMatch(pattern -> pattern.matcher(jar).find()))
                .toList();
        assertEquals(List.of(), tooling, "test, build or dev-mode jars in " + APP.resolve("lib"));
    }

    @Test
    void thePackageHasNoDeploymentClasspath() {
        // lib/deployment exists only in a mutable jar, which carries the build chain to re-augment at run time.
        assertFalse(Files.exists(APP.resolve("lib").resolve("deployment")), "lib/deployment is packaged");
    }

    private static List<String> jars(String... dirs) throws IOException {
        if (!Files.isDirectory(APP.resolve("lib").resolve("main"))) {
            throw new IllegalStateException(
                    "no packaged gateway: run ./mvnw verify (integration tests run after packaging)");
        }
        List<String> jars = new ArrayList<>();
        for (String dir : dirs) {
            try (Stream<Path> files = Files.list(APP.resolve("lib").resolve(dir))) {
                files.map(file -> file.getFileName().toString()).sorted().forEach(jars::add);
            }
        }
        return jars;
    }
}
