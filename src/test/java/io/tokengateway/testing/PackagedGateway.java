package io.tokengateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The packaged gateway ({@code target/quarkus-app/quarkus-run.jar}) as a separate process in the prod
 * profile, the way it runs in a container, with its real dependencies: a {@code redis-server} of its own
 * (unless the overrides name another {@code quarkus.redis.hosts}),
 * WireMock as the OIDC provider (whose key signs {@link Tokens}), and the provider sandbox switched on.
 * Its stdout (log, access log and audit trail) is captured to a file for black-box assertions.
 */
public final class PackagedGateway implements AutoCloseable {

    private final OidcWiremockTestResource oidc = new OidcWiremockTestResource();
    private final RedisServer redis = RedisServer.onFreePort();
    private final int port = FreePort.pick();
    private final int managementPort = FreePort.pick();
    private final int sandboxPort = FreePort.pick();
    private final Path output;
    private Process process;

    private PackagedGateway(Path output) {
        this.output = output;
    }

    /** Starts dependencies and the gateway with the base configuration plus {@code overrides}; waits until ready. */
    public static PackagedGateway start(String name, Map<String, String> overrides) {
        PackagedGateway gateway = new PackagedGateway(Path.of("target", "it-logs", name + ".out"));
        gateway.launch(overrides);
        return gateway;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public RedisServer redis() {
        return redis;
    }

    /** Everything the process wrote to stdout and stderr so far. */
    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as Kubernetes sends it; returns the exit code, or -1 if it did not exit in time. */
    public int terminate(Duration patience) {
        process.destroy();
        try {
            return process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void launch(Map<String, String> overrides) {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no packaged gateway: run ./mvnw verify (integration tests run after packaging)");
        }
        if (!overrides.containsKey("quarkus.redis.hosts")) {
            redis.start(); // a gateway sent to another Redis (a cluster, Sentinels) needs none of its own
        }
        Map<String, String> oidcConfig = oidc.start();
        // Tokens.forCaller signs with the key WireMock publishes.
        System.setProperty("smallrye.jwt.sign.key.location", oidcConfig.get("smallrye.jwt.sign.key.location"));
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.http.port", String.valueOf(port));
        config.put("quarkus.http.host", "127.0.0.1");
        config.put("quarkus.management.port", String.valueOf(managementPort));
        config.put("quarkus.management.host", "127.0.0.1");
        config.put("quarkus.oidc.auth-server-url", oidcConfig.get("keycloak.url") + "/realms/quarkus");
        config.put("quarkus.oidc.token.issuer", Tokens.ISSUER);
        config.put("quarkus.redis.hosts", redis.url());
        config.put("gateway.sandbox.enabled", "true");
        config.put("gateway.sandbox.port", String.valueOf(sandboxPort));
        config.put("gateway.sandbox.credentials.sandbox-m1", "m1-secret-Zq7");
        config.put("gateway.merchants.m1.base-url", "http://127.0.0.1:" + sandboxPort);
        config.put("gateway.merchants.m1.username", "sandbox-m1");
        config.put("gateway.merchants.m1.password", "m1-secret-Zq7");
        config.put("gateway.callers.team-a.merchants", "m1");
        config.put("gateway.callers.team-a.operations", "read-token,create-order,cancel-token");
        config.putAll(overrides);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        try {
            Files.createDirectories(output.getParent());
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady(Duration.ofSeconds(60));
    }

    private void awaitReady(Duration patience) {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(patience);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited during start-up:\n" + output());
            }
            try {
                HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the process is still starting: poll again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // poll interval while the process starts
        }
        throw new IllegalStateException("the gateway did not become ready in " + patience + ":\n" + output());
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
        oidc.stop();
        redis.stop();
    }
}
