package io.tokengateway.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.tokengateway.policy.PolicyFile;
import io.tokengateway.testing.ConfigMapVolume;
import io.tokengateway.testing.CountingProvider;
import io.tokengateway.testing.PackagedGateway;
import io.tokengateway.testing.Tokens;
import io.vertx.core.json.JsonObject;

/**
 * A packaged gateway whose policy is a file in a directory laid out like a ConfigMap volume, with the merchant's
 * password in another laid out like a Secret volume, in front of a {@link CountingProvider} that records which
 * credentials each call carried. Audit records go to a file.
 */
final class LivePolicyGateway implements AutoCloseable {

    static final String USERNAME = "main-shop-user";
    static final String POLICY_KEY = "policy.properties";
    static final String PASSWORD_KEY = "main-shop-password";

    final Path dir;
    final ConfigMapVolume policy;
    final ConfigMapVolume secrets;
    final CountingProvider provider = new CountingProvider();
    final PackagedGateway gateway;
    /** One token per caller, as a service reuses its token: the load is requests, not token verifications. */
    private final Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    LivePolicyGateway(String name, String firstPolicy, Map<String, String> passwords, Map<String, String> overrides)
            throws IOException {
        this.dir = Path.of("target", "it-logs", name).toAbsolutePath();
        deleteRecursively(dir);
        this.secrets = ConfigMapVolume.create(dir.resolve("secrets"), passwords);
        this.policy = ConfigMapVolume.create(dir.resolve("policy"), Map.of(POLICY_KEY, firstPolicy));
        Map<String, String> config = new LinkedHashMap<>();
        config.put("gateway.policy.file", policy.path(POLICY_KEY).toString());
        config.put("gateway.policy.password-dir", secrets.path("").toString());
        config.put("gateway.audit.sink", "file");
        config.put("gateway.audit.file.path", dir.resolve("audit.log").toString());
        config.putAll(overrides);
        this.gateway = PackagedGateway.start(name, config);
    }

    /** A policy: main-shop at the counting provider with its password from {@code passwordKey}, then {@code more}. */
    String policyText(String passwordKey, String... more) {
        List<String> lines = new ArrayList<>(List.of(
                "gateway.merchants.main-shop.base-url=" + provider.baseUrl(),
                "gateway.merchants.main-shop.username=" + USERNAME,
                "gateway.merchants.main-shop.password-file=" + secrets.path(passwordKey),
                "gateway.callers.orders-team.merchants=main-shop",
                "gateway.callers.orders-team.operations=read-token,create-order,cancel-token"));
        lines.addAll(List.of(more));
        return String.join("\n", lines) + "\n";
    }

    static String version(String policyText) {
        return PolicyFile.version(policyText.getBytes(StandardCharsets.UTF_8));
    }

    static String basic(String password) {
        return "Basic "
                + Base64.getEncoder().encodeToString((USERNAME + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> read(String caller, String correlationId) throws IOException, InterruptedException {
        return read(caller, "main-shop", correlationId);
    }

    HttpResponse<String> read(String caller, String merchant, String correlationId)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder()
                .uri(URI.create(gateway.baseUrl() + "/customer-token/v1/tokens/kct-live-policy-1"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + tokens.computeIfAbsent(caller, Tokens::forCaller))
                .header("X-Merchant-Id", merchant)
                .header("X-Correlation-Id", correlationId)
                .GET()
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    String metrics() throws IOException, InterruptedException {
        return get(gateway.managementUrl() + "/q/metrics").body();
    }

    int readiness() throws IOException, InterruptedException {
        return get(gateway.managementUrl() + "/q/health/ready").statusCode();
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one sample of the scrape, 0 when absent. */
    double sample(String series) throws IOException, InterruptedException {
        for (String line : metrics().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    /** Every audit record of {@code type} written so far. */
    List<JsonObject> auditRecords(String type) throws IOException {
        List<JsonObject> records = new ArrayList<>();
        Path file = dir.resolve("audit.log");
        if (!Files.exists(file)) {
            return records;
        }
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                JsonObject record = new JsonObject(line);
                if (type.equals(record.getString("type"))) {
                    records.add(record);
                }
            }
        }
        return records;
    }

    /**
     * Polls {@code condition} every 50 ms until it holds; returns how long that took, or fails after {@code patience}.
     */
    static Duration awaitTrue(Duration patience, String what, CheckedCondition condition) throws Exception {
        long start = System.nanoTime();
        long deadline = start + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.holds()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // poll interval, not synchronisation
        }
        throw new AssertionError(what + " did not happen within " + patience);
    }

    /** A condition that may call the gateway. */
    interface CheckedCondition {
        boolean holds() throws Exception;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            provider.close();
        }
    }
}
