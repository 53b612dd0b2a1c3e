package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.tokengateway.testing.PackagedGateway;
import io.tokengateway.testing.Tokens;
import io.vertx.core.json.JsonObject;

/**
 * Two packaged replicas sharing one Redis take 2 000 concurrent requests while one of them is restarted
 * (SIGTERM, then started again) midway: every request has exactly one audit record, and the trail of all
 * three instance lifetimes, over rotated files, verifies intact with the public key and the checkpoints
 * in Redis, using the packaged application's own {@code verify-audit} command. The same command finds a
 * record deleted from a copy of the trail.
 */
class AuditReplicasIT {

    static final int REQUESTS = 2000;
    static final String ORDER = "{\"purchase_currency\":\"EUR\",\"order_amount\":2500,\"order_tax_amount\":0,"
            + "\"order_lines\":[{\"name\":\"Shoe\",\"quantity\":1,\"unit_price\":2500,\"total_amount\":2500}]}";

    static Map<String, String> fileSink(Path dir) {
        return Map.of(
                "gateway.audit.sink",
                "file",
                "gateway.audit.file.path",
                dir.resolve("audit.log").toString(),
                "gateway.audit.file.max-size",
                "256K",
                "gateway.audit.checkpoint-interval",
                "1s",
                // A cold JVM on a shared 2-core machine under 32 concurrent requests: Redis calls get more time than in
                // production.
                "gateway.redis.timeout",
                "2s",
                // The trail is under test, not the merchant's request budget: on a fast run 2 000 requests outpace
                // the default 180/s and would be answered 429.
                "gateway.merchants.main-shop.rate-limit.per-second",
                "100000",
                "gateway.merchants.main-shop.rate-limit.burst",
                "100000");
    }

    @Test
    void everyRequestIsAuditedOnceAcrossARestartAndTheWholeTrailVerifies() throws Exception {
        Path dir = Path.of("target", "it-logs", "audit-replicas");
        deleteRecursively(dir);
        try (PackagedGateway a = PackagedGateway.start("audit-replica-a", fileSink(dir.resolve("a")));
                PackagedGateway b = a.startReplica("audit-replica-b", fileSink(dir.resolve("b")))) {
            String bearer = Tokens.forCaller("orders-team");
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            Map<String, Integer> statuses = new ConcurrentHashMap<>();
            AtomicBoolean restarting = new AtomicBoolean();
            CountDownLatch halfway = new CountDownLatch(REQUESTS / 2);
            CompletableFuture<Void> restarted = CompletableFuture.runAsync(() -> {
                try {
                    halfway.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                restarting.set(true);
                b.restart(Duration.ofSeconds(30));
                restarting.set(false);
            });
            Semaphore inFlight = new Semaphore(32);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                if (i == REQUESTS * 3 / 4) {
                    restarted.get(60, TimeUnit.SECONDS); // the last quarter also reaches the restarted replica
                }
                inFlight.acquire();
                String correlationId = "replicas-" + i;
                int n = i;
                PackagedGateway target = i % 2 == 1 && !restarting.get() ? b : a;
                HttpRequest request = request(target, bearer, correlationId, i);
                all.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .handle((answer, failure) -> refusedByStoppingReplica(answer, failure)
                                // Never reached the gateway's pipeline (connection refused, or the HTTP layer's own
                                // 503 while stopping): the client tries the other replica, as a load balancer would.
                                ? client.sendAsync(
                                        request(a, bearer, correlationId, n), HttpResponse.BodyHandlers.ofString())
                                : CompletableFuture.completedFuture(answer))
                        .thenCompose(f -> f)
                        .thenAccept(answer -> statuses.put(correlationId, answer.statusCode()))
                        .whenComplete((ok, failure) -> {
                            inFlight.release();
                            halfway.countDown();
                        }));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
            restarted.get(60, TimeUnit.SECONDS);
            assertEquals(REQUESTS, statuses.size());
            long ok = statuses.values().stream().filter(s -> s == 200).count();
            assertTrue(
                    ok > REQUESTS * 0.95,
                    "answers: "
                            + statuses.values().stream().collect(Collectors.groupingBy(s -> s, Collectors.counting())));

            // Graceful stops: each lifetime ends with its final checkpoint, also stored in Redis.
            assertTrue(b.terminate(Duration.ofSeconds(30)) >= 0);
            assertTrue(a.terminate(Duration.ofSeconds(30)) >= 0);

            List<Path> files = trailFiles(dir);
            assertTrue(files.size() > 2, "the files rotated: " + files);
            Map<String, Long> records = new ConcurrentHashMap<>();
            Map<String, Integer> recordedStatus = new ConcurrentHashMap<>();
            for (Path file : files) {
                for (String line : Files.readAllLines(file)) {
                    JsonObject record = new JsonObject(line);
                    if ("request".equals(record.getString("type"))) {
                        records.merge(record.getString("correlation_id"), 1L, Long::sum);
                        recordedStatus.put(record.getString("correlation_id"), record.getInteger("status"));
                    }
                }
            }
            assertEquals(statuses.keySet(), records.keySet(), "requests without a record, or records of no request");
            assertTrue(records.values().stream().allMatch(n -> n == 1), "a request audited more than once");
            assertEquals(statuses, recordedStatus, "each record holds the status its request was answered with");

            List<String> args = new ArrayList<>(List.of(
                    "--public-key",
                    PackagedGateway.auditPublicKey(),
                    "--redis",
                    a.redis().url()));
            files.forEach(f -> args.add(f.toString()));
            PackagedGateway.Verdict verdict = PackagedGateway.verifyAudit(args);
            assertEquals(0, verdict.exitCode(), verdict.output());
            assertTrue(
                    verdict.output().contains("OK: ")
                            && verdict.output().contains("3 instance lifetime(s)")
                            && verdict.output().contains("3 lifetime(s) in Redis"),
                    verdict.output());

            // The same command on a copy with one record deleted: broken, and it says where.
            Path tampered = dir.resolve("tampered.log");
            List<String> lines = new ArrayList<>(Files.readAllLines(files.get(0)));
            String removed = lines.remove(lines.size() / 2);
            Files.write(tampered, lines);
            List<String> tamperedArgs = new ArrayList<>(args);
            tamperedArgs.set(tamperedArgs.indexOf(files.get(0).toString()), tampered.toString());
            PackagedGateway.Verdict broken = PackagedGateway.verifyAudit(tamperedArgs);
            assertEquals(1, broken.exitCode(), broken.output());
            assertTrue(
                    broken.output().contains("missing: seq " + new JsonObject(removed).getLong("seq") + " is missing"),
                    broken.output());
        }
    }

    static HttpRequest request(PackagedGateway target, String bearer, String correlationId, int i) {
        HttpRequest.Builder builder = HttpRequest.newBuilder()
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + bearer)
                .header("X-Correlation-Id", correlationId);
        if (i % 10 == 0) {
            return builder.uri(URI.create(target.baseUrl() + "/customer-token/v1/tokens/kct-replicas/order"))
                    .header("Klarna-Idempotency-Key", "key-" + correlationId)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ORDER))
                    .build();
        }
        return builder.uri(URI.create(target.baseUrl() + "/customer-token/v1/tokens/kct-replicas"))
                .GET()
                .build();
    }

    static boolean refusedByStoppingReplica(HttpResponse<String> answer, Throwable failure) {
        return failure != null || (answer.statusCode() == 503 && !answer.body().contains("error_code"));
    }

    static List<Path> trailFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().startsWith("audit.log"))
                    .sorted()
                    .toList();
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
