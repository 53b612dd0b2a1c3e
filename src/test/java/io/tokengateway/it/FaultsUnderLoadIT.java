package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.tokengateway.testing.CountingProvider;
import io.tokengateway.testing.CountingProvider.Mode;
import io.tokengateway.testing.PackagedGateway;
import io.tokengateway.testing.Tokens;
import io.vertx.core.json.JsonObject;

/**
 * Orders placed continuously by clients that retry with the same idempotency key (as they should) while
 * Redis is killed and restarted and the provider turns slow, failing and connection-dropping. Measured:
 * no order placed twice, no request left hanging past its deadline, every request audited exactly once,
 * and recovery within seconds of the last fault ending.
 */
class FaultsUnderLoadIT {

    record Attempt(String key, String correlationId, int status, String orderId, long millis) {}

    static final String ORDER = "{\"purchase_currency\":\"EUR\",\"order_amount\":2500,\"order_tax_amount\":0,"
            + "\"order_lines\":[{\"name\":\"Shoe\",\"quantity\":1,\"unit_price\":2500,\"total_amount\":2500}]}";

    @Test
    void nothingIsLostDuplicatedOrLeftHanging() throws Exception {
        try (CountingProvider provider = new CountingProvider();
                PackagedGateway gateway = PackagedGateway.start(
                        "faults-under-load",
                        Map.of(
                                "gateway.sandbox.enabled", "false",
                                "gateway.merchants.main-shop.base-url", provider.baseUrl(),
                                "gateway.upstream.timeout", "1s",
                                "gateway.upstream.retry.initial-backoff", "10ms",
                                "gateway.upstream.retry.max-backoff", "50ms",
                                "gateway.upstream.circuit-breaker.delay", "2s",
                                "gateway.redis.timeout", "300ms"))) {
            String bearer = Tokens.forCaller("orders-team");
            // HTTP/1.1 like the services that call the gateway; see the note on h2c in the README's deviations.
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            List<Attempt> attempts = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService workers = Executors.newFixedThreadPool(6);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                futures.add(workers.submit(() -> {
                    while (running.get()) {
                        String key = "load-" + UUID.randomUUID();
                        // A client retries the same order, with the same key, until it gets an answer that is final.
                        for (int tries = 0; tries < 200 && running.get(); tries++) {
                            Attempt attempt = send(client, gateway, bearer, key);
                            attempts.add(attempt);
                            if (attempt.status() == 200 || attempt.status() == 422) {
                                break;
                            }
                            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // client back-off between retries
                        }
                    }
                    return null;
                }));
            }

            List<String> faults = new ArrayList<>();
            phase(Duration.ofSeconds(3));
            faults.add("redis killed");
            gateway.redis().stop();
            phase(Duration.ofSeconds(3));
            gateway.redis().start();
            phase(Duration.ofSeconds(2));
            faults.add("provider slow (3 s against a 1 s timeout)");
            provider.mode(Mode.SLOW);
            phase(Duration.ofSeconds(3));
            provider.mode(Mode.NORMAL);
            phase(Duration.ofSeconds(2));
            faults.add("provider failing (503)");
            provider.mode(Mode.FAIL_503);
            phase(Duration.ofSeconds(3));
            faults.add("provider dropping connections");
            provider.mode(Mode.DROP);
            phase(Duration.ofSeconds(3));
            provider.mode(Mode.NORMAL);
            long faultsEnded = System.nanoTime();
            phase(Duration.ofSeconds(8));
            running.set(false);
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
            workers.shutdown();

            List<Attempt> all = List.copyOf(attempts);
            // No order placed twice: every success for one key names the same order.
            Map<String, Set<String>> ordersPerKey = all.stream()
                    .filter(a -> a.status() == 200)
                    .collect(Collectors.groupingBy(
                            Attempt::key, Collectors.mapping(Attempt::orderId, Collectors.toSet())));
            long duplicated =
                    ordersPerKey.values().stream().filter(ids -> ids.size() > 1).count();
            assertEquals(0, duplicated, "keys answered with more than one order id");
            assertTrue(provider.ordersCreated()
                    <= all.stream().map(Attempt::key).distinct().count());

            // Every request was answered, nothing hung past its deadline, and nothing was a bug.
            assertTrue(all.stream().noneMatch(a -> a.status() < 0), "a request got no answer");
            long slowest = all.stream().mapToLong(Attempt::millis).max().orElse(0);
            assertTrue(slowest < 5_000, "slowest answer " + slowest + " ms for a 1 s upstream timeout");
            assertTrue(all.stream().noneMatch(a -> a.status() == 500), "a 500");
            Set<Integer> statuses = all.stream().map(Attempt::status).collect(Collectors.toSet());
            assertTrue(Set.of(200, 409, 502, 503, 504).containsAll(statuses), "statuses " + statuses);

            // Every request audited exactly once.
            Map<String, Long> audited = Arrays.stream(gateway.output().split("\n"))
                    .filter(l -> l.startsWith("{\"seq\"") && l.contains("\"type\":\"request\""))
                    .map(l -> new JsonObject(l).getString("correlation_id"))
                    .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            List<Attempt> missing = all.stream()
                    .filter(a -> audited.getOrDefault(a.correlationId(), 0L) != 1)
                    .toList();
            long accessLines = Arrays.stream(gateway.output().split("\n"))
                    .filter(l -> l.contains("access-log"))
                    .count();
            assertEquals(
                    List.of(),
                    missing,
                    "requests not audited exactly once (" + all.size() + " sent, " + audited.size() + " audited, "
                            + accessLines + " access-log lines)");

            // Recovery: the first success after the last fault ended.
            long recoveryMillis = firstSuccessAfter(all, faultsEnded);
            assertTrue(recoveryMillis >= 0 && recoveryMillis < 5_000, "recovered after " + recoveryMillis + " ms");

            Map<Integer, Long> byStatus =
                    all.stream().collect(Collectors.groupingBy(Attempt::status, Collectors.counting()));
            System.out.println("Faults under load: " + all.size() + " requests " + byStatus + ", faults survived "
                    + faults
                    + ", orders duplicated " + duplicated + ", slowest " + slowest + " ms, recovery " + recoveryMillis
                    + " ms, "
                    + provider.ordersCreated() + " orders created for " + ordersPerKey.size() + " keys answered 200");
            assertFalse(ordersPerKey.isEmpty());
        }
    }

    /** When each answered request finished (System.nanoTime), by correlation id. */
    static final Map<String, Long> FINISHED_AT = new ConcurrentHashMap<>();

    static Attempt send(HttpClient client, PackagedGateway gateway, String bearer, String key) {
        String correlationId = "load-" + UUID.randomUUID();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/customer-token/v1/tokens/kct-load-1/order"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + bearer)
                            .header("Content-Type", "application/json")
                            .header("Klarna-Idempotency-Key", key)
                            .header("X-Correlation-Id", correlationId)
                            .POST(HttpRequest.BodyPublishers.ofString(ORDER))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String orderId =
                    response.statusCode() == 200 ? new JsonObject(response.body()).getString("order_id") : null;
            FINISHED_AT.put(correlationId, System.nanoTime());
            return new Attempt(
                    key, correlationId, response.statusCode(), orderId, (System.nanoTime() - start) / 1_000_000);
        } catch (Exception e) {
            return new Attempt(key, correlationId, -1, null, (System.nanoTime() - start) / 1_000_000);
        }
    }

    static long firstSuccessAfter(List<Attempt> attempts, long faultsEnded) {
        return attempts.stream()
                .filter(a -> a.status() == 200)
                .mapToLong(a -> FINISHED_AT.getOrDefault(a.correlationId(), 0L))
                .filter(finished -> finished >= faultsEnded)
                .min()
                .stream()
                .map(first -> (first - faultsEnded) / 1_000_000)
                .findFirst()
                .orElse(-1);
    }

    static void phase(Duration length) {
        LockSupport.parkNanos(
                length.toNanos()); // the load runs meanwhile: this paces the fault schedule, it syncs nothing
    }
}
