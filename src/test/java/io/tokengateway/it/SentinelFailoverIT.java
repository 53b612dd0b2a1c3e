package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.tokengateway.testing.CountingProvider;
import io.tokengateway.testing.PackagedGateway;
import io.tokengateway.testing.RedisProcess;
import io.tokengateway.testing.RedisSentinelGroup;
import io.tokengateway.testing.Tokens;

/**
 * Two packaged gateways share one Sentinel-managed Redis (a primary, a replica, three Sentinels), as replicas of
 * a central egress do; one forwards a claim as soon as the primary has it ({@code replica-acks=0}), the other
 * only once the replica has it too ({@code replica-acks=1}). The primary is killed by SIGKILL: under load, and
 * then at the one moment that loses a claim, with replication stalled.
 *
 * <p>The methods share the Redis group and the gateways, and each leaves the group healthy; the order only
 * keeps the latency measurement free of failover noise.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelFailoverIT {

    static final String SHOP = "failover-shop";
    static final String CALLER = "failover-team";
    static final Duration REDIS_TIMEOUT = Duration.ofMillis(500);
    static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(2);
    static final String ORDER = "{\"purchase_currency\":\"EUR\",\"order_amount\":2500,\"order_tax_amount\":0,"
            + "\"order_lines\":[{\"name\":\"Shoe\",\"quantity\":1,\"unit_price\":2500,\"total_amount\":2500}]}";

    record Answer(String gateway, String key, int status, String orderId, long millis, long finishedAt) {}

    static CountingProvider provider;
    static RedisSentinelGroup redis;
    static PackagedGateway noAcks;
    static PackagedGateway oneAck;
    static String bearer;
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeAll
    static void start() {
        provider = new CountingProvider();
        redis = RedisSentinelGroup.start();
        noAcks = PackagedGateway.start("sentinel-replica-acks-0", config("0"));
        oneAck = PackagedGateway.start("sentinel-replica-acks-1", config("1"));
        bearer = Tokens.forCaller(CALLER);
    }

    static Map<String, String> config(String replicaAcks) {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.redis.client-type", "sentinel");
        config.put("quarkus.redis.hosts", redis.sentinelHosts());
        config.put("quarkus.redis.master-name", RedisSentinelGroup.MASTER_NAME);
        config.put("quarkus.redis.role", "master");
        config.put("gateway.idempotency.replica-acks", replicaAcks);
        config.put("gateway.redis.timeout", REDIS_TIMEOUT.toMillis() + "ms");
        config.put("gateway.upstream.timeout", UPSTREAM_TIMEOUT.toMillis() + "ms");
        config.put("gateway.sandbox.enabled", "false");
        config.put("gateway.merchants." + SHOP + ".base-url", provider.baseUrl());
        config.put("gateway.merchants." + SHOP + ".username", "failover-shop-api");
        config.put("gateway.merchants." + SHOP + ".password", "failover-shop-secret-Tq3");
        config.put("gateway.callers." + CALLER + ".merchants", SHOP);
        config.put("gateway.callers." + CALLER + ".operations", "create-order");
        return config;
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable resource : new AutoCloseable[] {noAcks, oneAck, redis, provider}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    @Test
    @Order(1)
    void aReplicaAcknowledgementCostsOneReplicationRoundTrip() {
        redis.heal();
        for (PackagedGateway gateway : List.of(noAcks, oneAck)) {
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < 300; i++) { // sequential, so the figures are latencies, not queueing
                long start = System.nanoTime();
                Answer answer = send(gateway, "latency-" + UUID.randomUUID());
                micros.add((System.nanoTime() - start) / 1000);
                assertEquals(200, answer.status());
            }
            Collections.sort(micros);
            String scrape = get(gateway.managementUrl() + "/q/metrics");
            System.out.printf(
                    "Claim latency, %s: p50 %s ms, p99 %s ms (gateway_idempotency_claim_seconds); whole order p50 %.2f ms, p99 %.2f ms%n",
                    gateway == noAcks ? "replica-acks=0" : "replica-acks=1",
                    quantileMillis(scrape, "0.5"),
                    quantileMillis(scrape, "0.99"),
                    micros.get(149) / 1000.0,
                    micros.get(296) / 1000.0);
            assertTrue(
                    quantileMillis(scrape, "0.99") < REDIS_TIMEOUT.toMillis(),
                    "a healthy claim never waits out the ack timeout");
        }
    }

    @Test
    @Order(2)
    void theGatewaysRideThroughAFailoverUnderLoad() throws Exception {
        redis.heal();
        List<Answer> answers = new CopyOnWriteArrayList<>(); // read by the waits below while workers add to it
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService workers = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            PackagedGateway gateway = w % 2 == 0 ? noAcks : oneAck;
            futures.add(workers.submit(() -> {
                for (int orders = 0; orders < 150 && running.get(); orders++) { // bounded
                    placeOrder(gateway, "load-" + UUID.randomUUID(), answers, running);
                }
                return null;
            }));
        }
        RedisProcess primary = redis.primary();
        try {
            awaitCount(answers, 40);
            long killedAt = System.nanoTime();
            primary.kill();
            // Redis is reported, not obeyed: DOWN in the readiness details while no primary answers, the replica
            // still ready (every replica is in the same position); UP again on the promoted replica.
            for (PackagedGateway gateway : List.of(noAcks, oneAck)) {
                Awaitility.await("Redis reported DOWN, the replica still ready")
                        .atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> "200 DOWN".equals(readiness(gateway.managementUrl() + "/q/health/ready")));
            }
            RedisProcess promoted = redis.awaitFailoverFrom(primary, Duration.ofSeconds(30));
            for (PackagedGateway gateway : List.of(noAcks, oneAck)) {
                Awaitility.await("Redis reported UP")
                        .atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> "200 UP".equals(readiness(gateway.managementUrl() + "/q/health/ready")));
            }
            // The clients reconnected to the new primary: orders go through it.
            Awaitility.await("an order through the new primary")
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> answers.stream()
                            .anyMatch(a -> a.gateway().equals("replica-acks=0")
                                    && a.status() == 200
                                    && a.finishedAt() > killedAt
                                    && promoted.call("EXISTS", claimKey(a.key()))
                                            .equals(1L)));
            // With replica-acks=1 nothing is forwarded until the new primary has a replica again.
            redis.restartAsReplica(primary);
            redis.awaitHealthy();
            long healedAt = System.nanoTime();
            Awaitility.await("replica-acks=1 orders again")
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> answers.stream()
                            .anyMatch(a -> a.gateway().equals("replica-acks=1")
                                    && a.status() == 200
                                    && a.finishedAt() > healedAt));
        } finally {
            running.set(false);
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
            workers.shutdown();
        }

        List<Answer> all = List.copyOf(answers);
        Map<String, Map<Integer, Long>> byStatus = all.stream()
                .collect(Collectors.groupingBy(
                        Answer::gateway, Collectors.groupingBy(Answer::status, Collectors.counting())));
        long slowest = all.stream().mapToLong(Answer::millis).max().orElse(0);
        Map<String, Long> duplicates = duplicatesByGateway(all);
        System.out.println("Failover under load: " + all.size() + " requests, by status " + byStatus
                + ", keys sent to the provider" + " more than once " + duplicates + ", slowest answer " + slowest
                + " ms");
        Set<Integer> statuses = all.stream().map(Answer::status).collect(Collectors.toSet());
        assertTrue(Set.of(200, 409, 503).containsAll(statuses), "statuses " + statuses);
        // At most every Redis call of one request timing out (rate limit, claim and its ack, amount, completion),
        // plus the upstream deadline, plus scheduling slack on a small shared machine.
        long bound = 4 * REDIS_TIMEOUT.toMillis() + 2 * REDIS_TIMEOUT.toMillis() + UPSTREAM_TIMEOUT.toMillis() + 1000;
        assertTrue(slowest < bound, "slowest answer " + slowest + " ms, bound " + bound + " ms");
        assertEquals(0L, duplicates.getOrDefault("replica-acks=1", 0L), "an order reached the provider twice");
    }

    @Test
    @Order(3)
    void aClaimOnlyThePrimaryHeldIsLostInAFailoverUnlessAReplicaAcknowledgedIt() {
        redis.heal();
        RedisProcess primary = redis.primary();
        RedisProcess replica = redis.replica();
        String lost = "lost-claim-" + UUID.randomUUID();
        String kept = "kept-claim-" + UUID.randomUUID();

        // Replication stalls: the replica stops reading, and the primary queues what it could not send.
        replica.freeze();
        try {
            stallReplication(primary);
            assertEquals(200, send(noAcks, lost).status());
            assertEquals(1, provider.orderRequests(lost));
            assertEquals(503, send(oneAck, kept).status(), "not replicated in time: not forwarded");
            assertEquals(0, provider.orderRequests(kept));
            primary.kill(); // with the claim for `lost` in its memory only
        } finally {
            replica.resume();
        }
        RedisProcess promoted = redis.awaitFailoverFrom(primary, Duration.ofSeconds(30));
        assertEquals(0L, promoted.call("EXISTS", STALL_MARKER), "test set-up: replication did not stall");

        // The caller retries (its answer was lost, say): the new primary has never heard of the key.
        Answer retry = Awaitility.await("a retry through the new primary")
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> send(noAcks, lost), a -> a.status() == 200);
        System.out.println("replica-acks=0: order requests at the provider for one key across the failover: "
                + provider.orderRequests(lost) + " (retry answered " + retry.status() + ")");
        assertEquals(
                2, provider.orderRequests(lost), "replica-acks=0: the claim was lost and the order forwarded again");

        // replica-acks=1: no replica behind the new primary yet, so nothing is forwarded; then the old primary returns.
        assertEquals(503, send(oneAck, kept).status());
        redis.restartAsReplica(primary);
        redis.awaitHealthy();
        Awaitility.await("the order through the new primary and its replica")
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> send(oneAck, kept).status() == 200);
        assertEquals(200, send(oneAck, kept).status());
        System.out.println("replica-acks=1: order requests at the provider for one key across the failover: "
                + provider.orderRequests(kept));
        assertEquals(1, provider.orderRequests(kept), "replica-acks=1: exactly one order across the failover");
    }

    /**
     * Writes more on the primary than the kernel can hold between it and the frozen replica (the send buffer of
     * one socket and the receive buffer of the other, at their largest), so what is written next stays in the
     * primary's memory, unsent. Redis 7 shares one replication buffer between replicas, so it shows no per-replica
     * backlog to wait for; the kernel's limits bound what the sockets can hold instead.
     */
    static void stallReplication(RedisProcess primary) {
        long inKernelAtMost = largest("/proc/sys/net/ipv4/tcp_rmem") + largest("/proc/sys/net/ipv4/tcp_wmem");
        String megabyte = "x".repeat(1 << 20);
        long megabytes = inKernelAtMost / (1 << 20) + 16;
        assertTrue(megabytes < 60, "the filler must stay under the replica output buffer's 64 MB soft limit");
        for (int i = 0; i < megabytes; i++) {
            primary.call("SET", "filler:" + i, megabyte);
        }
        primary.call("SET", STALL_MARKER, "written after the filler");
    }

    /** Written right after the filler: found on the promoted replica, it means replication never stalled. */
    static final String STALL_MARKER = "stall-marker";

    static long largest(String sysctl) {
        try {
            String[] values = java.nio.file.Files.readString(java.nio.file.Path.of(sysctl))
                    .trim()
                    .split("\\s+");
            return Long.parseLong(values[values.length - 1]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A client placing one order: retried with the same key until final, then sent once more, as a client whose answer got lost would. */
    static void placeOrder(PackagedGateway gateway, String key, List<Answer> answers, AtomicBoolean running) {
        for (int tries = 0; tries < 100 && running.get(); tries++) {
            Answer answer = send(gateway, key);
            answers.add(answer);
            if (answer.status() == 200) {
                answers.add(send(gateway, key));
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // client back-off between retries
        }
    }

    static Answer send(PackagedGateway gateway, String key) {
        String name = gateway == noAcks ? "replica-acks=0" : "replica-acks=1";
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = CLIENT.send(
                    HttpRequest.newBuilder(
                                    URI.create(gateway.baseUrl() + "/customer-token/v1/tokens/kct-failover-1/order"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + bearer)
                            .header("Content-Type", "application/json")
                            .header("Klarna-Idempotency-Key", key)
                            .POST(HttpRequest.BodyPublishers.ofString(ORDER))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String orderId = response.statusCode() == 200
                    ? new io.vertx.core.json.JsonObject(response.body()).getString("order_id")
                    : null;
            long end = System.nanoTime();
            return new Answer(name, key, response.statusCode(), orderId, (end - start) / 1_000_000, end);
        } catch (Exception e) {
            long end = System.nanoTime();
            return new Answer(name, key, -1, null, (end - start) / 1_000_000, end);
        }
    }

    static Map<String, Long> duplicatesByGateway(List<Answer> answers) {
        Map<String, String> gatewayByKey = new HashMap<>();
        answers.forEach(a -> gatewayByKey.put(a.key(), a.gateway()));
        Map<String, Long> duplicates = new HashMap<>();
        provider.orderRequestsByKey().forEach((key, count) -> {
            if (count > 1 && gatewayByKey.containsKey(key)) {
                duplicates.merge(gatewayByKey.get(key), 1L, Long::sum);
            }
        });
        return duplicates;
    }

    static String claimKey(String idempotencyKey) {
        return "tg:idem:{" + SHOP + "}:" + io.tokengateway.digest.Sha256.hex(idempotencyKey);
    }

    static void awaitCount(List<Answer> answers, int count) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> answers.size() >= count);
    }

    static double quantileMillis(String scrape, String quantile) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith("gateway_idempotency_claim_seconds{")
                    && line.contains("quantile=\"" + quantile + "\"")) {
                return Math.round(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 1_000_000) / 1000.0;
            }
        }
        throw new AssertionError("no claim latency quantile " + quantile);
    }

    /** The readiness status code and the Redis state in its details, e.g. {@code "200 DOWN"}. */
    static String readiness(String url) {
        try {
            HttpResponse<String> ready = CLIENT.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String redisState = new io.vertx.core.json.JsonObject(ready.body())
                    .getJsonArray("checks").stream()
                            .map(io.vertx.core.json.JsonObject.class::cast)
                            .filter(check -> "redis".equals(check.getString("name")))
                            .map(check -> check.getJsonObject("data").getString("redis"))
                            .findFirst()
                            .orElse("none");
            return ready.statusCode() + " " + redisState;
        } catch (Exception e) {
            return "unreachable";
        }
    }

    static String get(String url) {
        try {
            return CLIENT.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
