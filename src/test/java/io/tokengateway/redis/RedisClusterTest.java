package io.tokengateway.redis;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tokengateway.digest.Sha256;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.RedisCluster;
import io.tokengateway.testing.RedisClusterResource;
import io.tokengateway.testing.RedisProcess;
import io.tokengateway.testing.Tokens;

/**
 * The whole pipeline on a real Redis Cluster (three masters, one replica each) with
 * {@code gateway.idempotency.replica-acks=1}: each merchant's keys share one hash slot, merchants land on
 * different masters, limits and idempotency hold there, the replica acknowledgement is asked of the master that
 * holds the claim, and a merchant's slot can move to another master under traffic.
 */
@QuarkusTest
@TestProfile(RedisClusterTest.OnCluster.class)
class RedisClusterTest {

    /** Merchants whose hash tags fall in the three masters' slot ranges (asserted, not assumed). */
    static final List<String> SHOPS = List.of("cluster-shop-a", "cluster-shop-b", "cluster-shop-c");
    /** Merchants with a small request budget, one per master too. */
    static final List<String> BUDGETS = List.of("cluster-budget-a", "cluster-budget-b", "cluster-budget-c");

    static final String CALLER = "cluster-team";

    public static class OnCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            config.put("gateway.idempotency.replica-acks", "1");
            // Six redis-server processes and the whole suite share two cores: give a replica time to acknowledge.
            config.put("gateway.idempotency.replica-ack-timeout", "1500ms");
            config.put("gateway.redis.timeout", "1500ms");
            for (String merchant : concat(SHOPS, BUDGETS)) {
                String prefix = "gateway.merchants." + merchant + ".";
                config.put(prefix + "base-url", "http://127.0.0.1:${gateway.sandbox.port}");
                config.put(prefix + "username", "sandbox-main-shop");
                config.put(prefix + "password", "main-shop-secret-Zq7");
            }
            for (String shop : SHOPS) {
                config.put("gateway.merchants." + shop + ".order-limit.daily-amount", "1000000");
            }
            for (String budget : BUDGETS) {
                // one request every 5 s and a burst of 3: nothing refills during the test
                config.put("gateway.merchants." + budget + ".rate-limit.per-second", "0.2");
                config.put("gateway.merchants." + budget + ".rate-limit.burst", "3");
            }
            config.put("gateway.callers." + CALLER + ".merchants", String.join(",", concat(SHOPS, BUDGETS)));
            config.put("gateway.callers." + CALLER + ".operations", "read-token,create-order");
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisClusterResource.class));
        }
    }

    @Inject
    SandboxServer sandbox;

    RedisCluster cluster;

    @TestHTTPResource("/")
    URL gateway;

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    @Test
    void eachMerchantsKeysShareOneSlotOnItsOwnMaster() {
        assertEquals(
                3,
                SHOPS.stream()
                        .map(this::masterOf)
                        .map(RedisCluster.Node::id)
                        .distinct()
                        .count(),
                "the shops' hash tags map to three different masters");
        assertEquals(
                3,
                BUDGETS.stream()
                        .map(this::masterOf)
                        .map(RedisCluster.Node::id)
                        .distinct()
                        .count(),
                "the budgets' hash tags map to three different masters");
        for (String shop : SHOPS) {
            String key = "slot-" + UUID.randomUUID();
            order(shop, key, 100).then().statusCode(200);
            RedisCluster.Node master = masterOf(shop);
            for (String redisKey : List.of(
                    "tg:idem:{" + shop + "}:" + Sha256.hex(key),
                    "tg:rate:{" + shop + "}",
                    "tg:amount:{" + shop + "}:EUR",
                    "tg:amount:{" + shop + "}:key:" + Sha256.hex(key))) {
                assertEquals(cluster.keySlot("{" + shop + "}"), cluster.keySlot(redisKey), redisKey);
                assertTrue(cluster.holds(master, redisKey), () -> redisKey + " on master " + master.port());
            }
        }
    }

    @Test
    void eachMerchantsRequestBudgetIsCountedOnItsMaster() {
        for (String budget : BUDGETS) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                statuses.add(read(budget).statusCode());
            }
            assertEquals(List.of(200, 200, 200, 429, 429), statuses, budget);
            assertTrue(cluster.holds(masterOf(budget), "tg:rate:{" + budget + "}"));
        }
    }

    @Test
    void ordersAreDeduplicatedAndDailyAmountsHeldPerMerchant() {
        for (String shop : SHOPS) {
            String key = "idem-" + UUID.randomUUID();
            Response first = order(shop, key, 600_000);
            first.then().statusCode(200);
            order(shop, key, 600_000)
                    .then()
                    .statusCode(200)
                    .header("Idempotent-Replayed", is("true"))
                    .body("order_id", is(first.jsonPath().getString("order_id")));
            // Another order would take the 24 h total over 1 000 000 for this merchant only.
            order(shop, "idem-" + UUID.randomUUID(), 600_000)
                    .then()
                    .statusCode(403)
                    .body("error_code", is("AMOUNT_LIMIT_EXCEEDED"));
        }
        assertEquals(3, ordersAtTheProvider(), "one order per shop reached the provider");
    }

    @Test
    void aClaimIsForwardedOnlyOnceTheReplicaOfItsOwnMasterHasIt() {
        RedisCluster.Node master = masterOf("cluster-shop-b");
        RedisProcess replica = cluster.process(cluster.replicaOf(master));
        // Killed, not frozen: a frozen node also stalls the client's slot-map refreshes, which would hold up every
        // merchant's calls, not only shop b's WAIT.
        String key = "unreplicated-" + UUID.randomUUID();
        long totalBefore = dailyTotal(master, "cluster-shop-b");
        Object claimAfter;
        long totalAfter;
        // As after a restart: the master has to be sent the script's text once more (NOSCRIPT, then EVAL), and each
        // attempt's WAIT takes the whole replica timeout, so each attempt needs a time bound of its own.
        cluster.process(master).call("SCRIPT", "FLUSH");
        replica.kill();
        try {
            // WAIT runs on the connection that made the claim, on shop b's master, which now has no replica.
            order("cluster-shop-b", key, 100).then().statusCode(503).body("error_code", is("DEPENDENCY_UNAVAILABLE"));
            claimAfter = cluster.process(master)
                    .call("EXISTS", io.tokengateway.idempotency.IdempotencyStore.recordKey("cluster-shop-b", key));
            totalAfter = dailyTotal(master, "cluster-shop-b");
            // Shop c's master and replica are untouched: its order goes through (retried within a bound in case its
            // own replica is slow to acknowledge on this busy machine; nothing is forwarded then either).
            answeredWithin("cluster-shop-c", "untouched-" + UUID.randomUUID());
        } finally {
            replica.start(); // rejoins as shop b's master's replica, from its cluster config file
        }
        assertEquals(1, ordersAtTheProvider(), "the unreplicated claim was not forwarded");
        Awaitility.await("shop b's replica back")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> String.valueOf(cluster.process(master).call("INFO", "replication"))
                        .contains("connected_slaves:1"));
        answeredWithin("cluster-shop-b", "replicated-" + UUID.randomUUID());
        // The round had claimed the key and reserved the amount before WAIT answered: both were given back before the
        // 503 left, so the caller's retry is not held off and the merchant's 24 h total is what it was.
        assertEquals(0L, claimAfter, "the unreplicated claim was released");
        assertEquals(totalBefore, totalAfter, "the amount reserved with the unreplicated claim was given back");
    }

    @Test
    void aMerchantsSlotMovesToAnotherMasterAndBackUnderTraffic() throws Exception {
        String shop = "cluster-shop-a";
        int slot = cluster.keySlot("{" + shop + "}");
        RedisCluster.Node source = masterOf(shop);
        RedisCluster.Node target = cluster.masters().stream()
                .filter(m -> !m.id().equals(source.id()))
                .findFirst()
                .orElseThrow();
        String before = "before-move-" + UUID.randomUUID();
        // The cluster may still be settling after the previous test froze and thawed a replica: 503 until it has.
        String beforeOrder = answeredWithin(shop, before).jsonPath().getString("order_id");

        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String bearer = Tokens.forCaller(CALLER);
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService workers = Executors.newFixedThreadPool(3);
        List<Future<?>> load = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            load.add(workers.submit(() -> {
                for (int i = 0; i < 200 && running.get(); i++) { // bounded: a few hundred orders in all
                    statuses.add(send(client, bearer, shop, "traffic-" + UUID.randomUUID()));
                }
                return null;
            }));
        }
        try {
            awaitAnswers(statuses, 30);
            cluster.migrateSlot(slot, target);
            int duringFirstMove = statuses.size();
            awaitAnswers(statuses, duringFirstMove + 30);
            assertEquals(target.id(), masterOf(shop).id());
            assertTrue(
                    cluster.holds(target, "tg:idem:{" + shop + "}:" + Sha256.hex(before)),
                    "the claimed key moved with its slot");
            assertFalse(cluster.holds(source, "tg:idem:{" + shop + "}:" + Sha256.hex(before)));
            // The order from before the move is replayed from the new master (a stale slot map answers 503 meanwhile).
            replayedOnceTheSlotMapIsFresh(shop, before, beforeOrder);
        } finally {
            cluster.migrateSlot(
                    slot, source); // and back, still under traffic, so the other tests find the layout they assert
            awaitAnswers(statuses, statuses.size() + 30);
            running.set(false);
            for (Future<?> future : load) {
                future.get(60, TimeUnit.SECONDS);
            }
            workers.shutdown();
        }

        Map<Integer, Long> byStatus = statuses.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
        System.out.println("Slot " + slot + " moved from " + source.port() + " to " + target.port() + " and back under "
                + statuses.size() + " orders: " + byStatus);
        // A stale slot map (MOVED) counts as "Redis unavailable" under the failure policy: 503, never a 500.
        assertTrue(Set.of(200, 503).containsAll(byStatus.keySet()), () -> "statuses " + byStatus);
        assertTrue(byStatus.getOrDefault(200, 0L) > 0);
        assertEquals(source.id(), masterOf(shop).id());
        replayedOnceTheSlotMapIsFresh(shop, before, beforeOrder);
    }

    /** Retries within a bound while the client's slot map is stale (503 by the failure policy), then the replay. */
    private void replayedOnceTheSlotMapIsFresh(String shop, String key, String orderId) {
        answeredWithin(shop, key)
                .then()
                .header("Idempotent-Replayed", is("true"))
                .body("order_id", is(orderId));
    }

    /**
     * The order's 200, retried with its key within a bound while the failure policy answers 503, or 409 while an
     * earlier attempt's claim could not be released and waits out its lease; never anything else.
     */
    private io.restassured.response.Response answeredWithin(String shop, String key) {
        io.restassured.response.Response[] last = new io.restassured.response.Response[1];
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(40))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> {
                    last[0] = order(shop, key, 100);
                    assertTrue(
                            Set.of(200, 409, 503).contains(last[0].statusCode()),
                            () -> "status " + last[0].statusCode());
                    return last[0].statusCode() == 200;
                });
        return last[0];
    }

    static void awaitAnswers(List<Integer> statuses, int count) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> statuses.size() >= count);
    }

    RedisCluster.Node masterOf(String merchant) {
        return cluster.masterOf(cluster.keySlot("{" + merchant + "}"));
    }

    long ordersAtTheProvider() {
        return sandbox.received().stream()
                .filter(r -> r.path().endsWith("/order"))
                .count();
    }

    static String orderBody(long amount) {
        return "{\"purchase_currency\":\"EUR\",\"order_amount\":" + amount + ",\"order_tax_amount\":0,"
                + "\"order_lines\":[{\"name\":\"Shoe\",\"quantity\":1,\"unit_price\":" + amount + ",\"total_amount\":"
                + amount + "}]}";
    }

    /** The merchant's rolling 24 h total in EUR, read on its master. */
    private long dailyTotal(RedisCluster.Node master, String merchant) {
        long total = 0;
        for (Object value : (List<?>) cluster.process(master).call("HVALS", "tg:amount:{" + merchant + "}:EUR")) {
            total += Long.parseLong(String.valueOf(value));
        }
        return total;
    }

    static Response order(String merchant, String key, long amount) {
        return Calls.as(CALLER, merchant)
                .header("Klarna-Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body(orderBody(amount))
                .when()
                .post(Calls.CREATE_ORDER, "kct-cluster-1");
    }

    static Response read(String merchant) {
        return Calls.as(CALLER, merchant).when().get(Calls.READ_TOKEN, "kct-cluster-1");
    }

    int send(HttpClient client, String bearer, String merchant, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(gateway + "customer-token/v1/tokens/kct-cluster-1/order"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + bearer)
                .header("X-Merchant-Id", merchant)
                .header("Klarna-Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(orderBody(10)))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
