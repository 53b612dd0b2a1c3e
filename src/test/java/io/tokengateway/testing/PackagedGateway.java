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
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.tokengateway.flow.testkit.TestConfig;
import io.tokengateway.sandbox.SandboxServer;

/**
 * The packaged gateway ({@code target/quarkus-app/quarkus-run.jar}) as a separate process in the prod
 * profile, the way it runs in a container, with its real dependencies: a {@code redis-server} of its own
 * (unless the overrides name another {@code quarkus.redis.hosts}), WireMock as the OIDC provider (whose key
 * signs {@link Tokens}), and the provider sandbox (run in this JVM: the production build has none).
 * Its stdout (log, access log and audit trail) is captured to a file for black-box assertions. Its audit
 * trail is signed with {@link #AUDIT_KEYS}; {@link #startReplica} starts more replicas on the same Redis.
 */
public final class PackagedGateway implements AutoCloseable {

    /** The audit signing key of every packaged gateway in a test run (in production: a Secret). */
    public static final KeyPair AUDIT_KEYS = auditKeys();

    /** The idempotency records' seal key of every packaged gateway in a test run (in production: a Secret). */
    public static final String STATE_SEAL_KEY = sealKey();

    private static final io.vertx.core.Vertx SANDBOX_VERTX = io.vertx.core.Vertx.vertx();

    private final OidcWiremockTestResource oidc;
    private final RedisServer redis;
    private final PackagedGateway sharedWith;
    private final int port = FreePort.pick();
    private final int managementPort = FreePort.pick();
    private final int sandboxPort = FreePort.pick();
    private SandboxServer sandbox;
    private final Path output;
    private Map<String, String> oidcConfig;
    private Map<String, String> overrides;
    private Process process;

    private PackagedGateway(Path output, PackagedGateway sharedWith) {
        this.output = output;
        this.sharedWith = sharedWith;
        this.oidc = sharedWith == null ? new OidcWiremockTestResource() : null;
        this.redis = sharedWith == null ? RedisServer.onFreePort() : sharedWith.redis;
    }

    /** Starts dependencies and the gateway with the base configuration plus {@code overrides}; waits until ready. */
    public static PackagedGateway start(String name, Map<String, String> overrides) {
        PackagedGateway gateway = new PackagedGateway(Path.of("target", "it-logs", name + ".out"), null);
        gateway.launch(overrides);
        return gateway;
    }

    /**
     * Starts the gateway expecting it to refuse to start (a configuration error): waits until the process has
     * exited; its exit code ({@code -1} if it was still running after {@code patience}) and output.
     */
    public static Verdict startRefused(String name, Map<String, String> overrides, Duration patience) {
        try (PackagedGateway gateway = new PackagedGateway(Path.of("target", "it-logs", name + ".out"), null)) {
            gateway.launch(overrides, false);
            return new Verdict(gateway.awaitExit(patience), gateway.output());
        }
    }

    /** Another replica: a second gateway process sharing this one's Redis and OIDC provider (closing it stops neither). */
    public PackagedGateway startReplica(String name, Map<String, String> overrides) {
        PackagedGateway replica = new PackagedGateway(Path.of("target", "it-logs", name + ".out"), this);
        replica.launch(overrides);
        return replica;
    }

    /** SIGTERM and, once the process has exited, the same gateway started again: a new instance lifetime. */
    public void restart(Duration patience) {
        int exit = terminate(patience);
        if (exit < 0) {
            throw new IllegalStateException("the gateway did not stop in " + patience);
        }
        launch(overrides);
    }

    /** The audit public key the packaged gateways' trails verify with (X.509 DER in base64). */
    public static String auditPublicKey() {
        return Base64.getEncoder().encodeToString(AUDIT_KEYS.getPublic().getEncoded());
    }

    /** What {@code java -jar quarkus-run.jar verify-audit ARGS} printed and its exit code. */
    public record Verdict(int exitCode, String output) {}

    public static Verdict verifyAudit(List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target", "quarkus-app", "quarkus-run.jar").toString(),
                "verify-audit"));
        command.addAll(args);
        try {
            Process verifier =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String printed = new String(verifier.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!verifier.waitFor(60, TimeUnit.SECONDS)) {
                verifier.destroyForcibly();
                throw new IllegalStateException("the verifier did not finish:\n" + printed);
            }
            return new Verdict(verifier.exitValue(), printed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair auditKeys() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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

    /** The file the process's stdout and stderr go to. */
    public Path outputFile() {
        return output;
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
        sigterm();
        return awaitExit(patience);
    }

    /** SIGTERM without waiting: the test watches what the gateway does while it shuts down. */
    public void sigterm() {
        process.destroy();
    }

    /** The exit code once the process has exited, or -1 if it did not exit in time. */
    public int awaitExit(Duration patience) {
        try {
            return process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void launch(Map<String, String> overrides) {
        launch(overrides, true);
    }

    private void launch(Map<String, String> overrides, boolean awaitReady) {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(
                    "no packaged gateway: run ./mvnw verify (integration tests run after packaging)");
        }
        boolean relaunch = this.overrides != null;
        this.overrides = overrides;
        if (oidcConfig == null) {
            if (sharedWith == null) {
                if (!overrides.containsKey("quarkus.redis.hosts")) {
                    redis.start(); // a gateway sent to another Redis (a cluster, Sentinels) needs none of its own
                }
                oidcConfig = oidc.start();
            } else {
                oidcConfig = sharedWith.oidcConfig;
            }
        }
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
        // No endpoint to wait for behind a test: SIGTERM stops accepting at once unless a test asks for the delay.
        config.put("quarkus.shutdown.delay", "0s");
        if (sandbox == null && !"false".equals(overrides.get("gateway.sandbox.enabled"))) {
            // The production build has no simulator: the test runs it in its own JVM, as a provider stand-in.
            sandbox = SandboxServer.standalone(
                    TestConfig.gateway(Map.of(
                                    "sandbox.enabled",
                                    "true",
                                    "sandbox.port",
                                    String.valueOf(sandboxPort),
                                    "sandbox.credentials.sandbox-main-shop",
                                    "main-shop-secret-Zq7"))
                            .sandbox(),
                    SANDBOX_VERTX);
        }
        if (!overrides.containsKey("gateway.policy.file")) {
            // A gateway with a policy file takes callers and merchants from it alone (and refuses these).
            config.put("gateway.merchants.main-shop.base-url", "http://127.0.0.1:" + sandboxPort);
            config.put("gateway.merchants.main-shop.username", "sandbox-main-shop");
            config.put("gateway.merchants.main-shop.password", "main-shop-secret-Zq7");
            config.put("gateway.callers.orders-team.merchants", "main-shop");
            config.put("gateway.callers.orders-team.operations", "read-token,create-order,cancel-token");
        }
        config.put(
                "gateway.audit.signing-key",
                Base64.getEncoder().encodeToString(AUDIT_KEYS.getPrivate().getEncoded()));
        // In production from a Secret; every replica of a test run shares it, so each replays what another stored.
        config.put("gateway.state.seal-key", STATE_SEAL_KEY);
        config.putAll(overrides);
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        try {
            Files.createDirectories(output.getParent());
            // A restarted gateway appends: its earlier lifetime's output (and audit records) stay.
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(
                            relaunch
                                    ? ProcessBuilder.Redirect.appendTo(output.toFile())
                                    : ProcessBuilder.Redirect.to(output.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (awaitReady) {
            awaitReady(Duration.ofSeconds(60));
        }
    }

    private void awaitReady(Duration patience) {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(patience);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited during start-up:\n" + output());
            }
            try {
                HttpResponse<String> ready = client.send(
                        HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
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
        if (sandbox != null) {
            sandbox.close();
        }
        if (sharedWith == null) {
            oidc.stop();
            redis.stop();
        }
    }

    private static String sealKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
