package io.tokengateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tokengateway.audit.verify.AuditChainVerifier;
import io.tokengateway.testing.RedisCluster;
import io.tokengateway.testing.RedisClusterResource;
import io.vertx.core.json.JsonObject;

/**
 * The {@code redis-stream} sink on a real Redis Cluster (three primaries, one replica each): 2 000 records from
 * concurrent callers while the primary that holds the stream is killed with a batch in flight (frozen first, it or
 * its replica, so the batch is surely in flight), so the cluster fails over to its replica (the old primary then comes back as the new one's replica: each batch
 * waits for one replica's ack, so no batch confirmed to its callers is lost with a primary). The exported stream verifies: every seq once and in order, the chain
 * and its checkpoints intact, the records lost meanwhile admitted in a {@code loss} record, and every one of the
 * 2 000 either in the stream or counted there.
 */
@QuarkusTest
@TestProfile(AuditStreamOnClusterTest.OnCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditStreamOnClusterTest {

    static final String STREAM = "tg:audit:cluster";
    static final int RECORDS = 2000;
    static final int CALLERS = 32;

    public static class OnCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.audit.sink", "redis-stream",
                    "gateway.audit.redis-stream.key", STREAM,
                    "gateway.audit.redis-stream.replica-acks", "1",
                    "gateway.audit.redis-stream.timeout", "2s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisClusterResource.class));
        }
    }

    @Inject
    AuditService service;

    @Inject
    RedisDataSource redis;

    @Inject
    MeterRegistry registry;

    RedisCluster cluster;

    /** The batch in flight never runs: the primary is frozen before it reads it, then killed. */
    @Test
    @Order(1)
    void aPrimaryKilledWithABatchItNeverRanLeavesAStreamThatVerifies() throws Exception {
        failover("frozen-primary-", true);
    }

    /**
     * The batch in flight runs on the primary and reaches the replica, but its outcome is unknown (the frozen replica
     * does not acknowledge it): the primary is killed, the replica takes over holding the batch, and the batch sent
     * again must not be added a second time.
     */
    @Test
    @Order(2)
    void aPrimaryKilledWithABatchItRanButNeverConfirmedLeavesAStreamThatVerifies() throws Exception {
        failover("frozen-replica-", false);
    }

    private void failover(String prefix, boolean freezePrimary) throws Exception {
        int slot = cluster.keySlot(STREAM);
        assertEquals(slot, cluster.keySlot(RedisStreamAuditSink.writerKey(STREAM, service.instance())));
        RedisCluster.Node primary = cluster.masterOf(slot);
        RedisCluster.Node replica = cluster.replicaOf(primary);
        long startSeq = stream().size();

        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger impatient = new AtomicInteger(200);
        Set<String> confirmed = ConcurrentHashMap.newKeySet();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        for (int c = 0; c < CALLERS; c++) {
            callers.execute(() -> {
                for (int i = next.getAndIncrement(); i < RECORDS; i = next.getAndIncrement()) {
                    String id = prefix + i;
                    try {
                        service.append(Trails.record(id)).await().atMost(Duration.ofSeconds(30));
                        confirmed.add(id);
                    } catch (AuditUnavailableException e) {
                        if (impatient.decrementAndGet() >= 0) {
                            continue; // records that fail unsent while a batch is in doubt: the loss record's
                        }
                        // Then as the gateway's callers do: nothing new while the trail does not write (503 first).
                        Awaitility.await()
                                .atMost(Duration.ofSeconds(60))
                                .pollInterval(Duration.ofMillis(20))
                                .until(service::writing);
                    } finally {
                        done.incrementAndGet();
                    }
                }
            });
        }

        Awaitility.await("a quarter of the records through")
                .atMost(Duration.ofSeconds(60))
                .until(() -> done.get() >= RECORDS / 4);
        RedisCluster.Node frozen = freezePrimary ? primary : replica;
        cluster.process(frozen).freeze();
        // A batch waits for the frozen node (up to the sink's 2 s): its reply, or the replica's WAIT acknowledgement.
        Awaitility.await("a batch held by the frozen node")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> registry.get("gateway.audit.oldest_pending_seconds")
                                .gauge()
                                .value()
                        > 0.2);
        cluster.process(primary).kill();
        if (!freezePrimary) {
            cluster.process(replica).resume();
        }
        Awaitility.await("the replica takes over the stream's slot")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> cluster.masterOf(slot).port() == replica.port());
        // Batches need a replica's ack (replica-acks=1): the old primary comes back, as the new one's replica.
        cluster.process(primary).start();

        callers.shutdown();
        assertTrue(callers.awaitTermination(3, TimeUnit.MINUTES), "the callers finished");
        assertTrue(service.checkpointNow(Duration.ofSeconds(20)), "a final checkpoint written and stored");

        List<String> records = stream();
        List<AuditChainVerifier.Line> lines = new ArrayList<>();
        Set<String> inTrail = new HashSet<>();
        long lost = 0;
        for (int i = 0; i < records.size(); i++) {
            JsonObject record = new JsonObject(records.get(i));
            assertEquals(i + 1, record.getLong("seq"), "every seq once, in order");
            lines.add(new AuditChainVerifier.Line(STREAM, i + 1, records.get(i)));
            String id = record.getString("correlation_id", "");
            if ("request".equals(record.getString("type")) && id.startsWith(prefix)) {
                assertTrue(inTrail.add(id), "a record twice");
            } else if ("loss".equals(record.getString("type")) && i >= startSeq) {
                lost += record.getLong("lost_records");
            }
        }
        List<String> stored = redis.sortedSet(String.class).zrange(RedisCheckpoints.key(service.instance()), 0, -1);
        AuditChainVerifier.Report report =
                AuditChainVerifier.verify(lines, service.publicKey(), Map.of(service.instance(), stored), false);
        assertEquals(List.of(), report.breaks());

        assertTrue(lost > 0, "records were lost during the failover and admitted (else it tested nothing)");
        assertTrue(inTrail.containsAll(confirmed), "every record its caller was told is written is in the stream");
        assertTrue(inTrail.size() > confirmed.size(), "the batch in doubt is in the stream, its callers were refused");
        assertEquals(RECORDS, inTrail.size() + lost, "every record is in the stream or admitted lost");
    }

    private List<String> stream() {
        List<String> records = new ArrayList<>();
        for (StreamMessage<String, String, String> m :
                redis.stream(String.class).xrange(STREAM, StreamRange.of("-", "+"))) {
            records.add(m.payload().get("record"));
        }
        return records;
    }
}
