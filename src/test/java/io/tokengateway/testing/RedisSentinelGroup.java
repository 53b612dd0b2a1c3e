package io.tokengateway.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;

/**
 * A real Sentinel-managed Redis on loopback: a primary, one replica and three Sentinels (quorum 2) that fail over
 * one second after the primary stops answering. Nothing is persisted. Tests kill the primary by PID, wait for
 * the Sentinels to promote the replica, and start the old primary again as the new primary's replica.
 */
public final class RedisSentinelGroup implements AutoCloseable {

    public static final String MASTER_NAME = "tokengateway";

    private final Path dir = RedisProcess.workDir("tokengateway-sentinel");
    private final List<RedisProcess> nodes = new ArrayList<>();
    private final List<RedisProcess> sentinels = new ArrayList<>();

    public static RedisSentinelGroup start() {
        RedisSentinelGroup group = new RedisSentinelGroup();
        try {
            group.create();
        } catch (RuntimeException e) {
            group.close();
            throw e;
        }
        return group;
    }

    private void create() {
        RedisProcess primary = RedisProcess.server(RedisProcess.freePort(), dir).start();
        nodes.add(primary);
        nodes.add(RedisProcess.server(
                        RedisProcess.freePort(), dir, "--replicaof", "127.0.0.1", String.valueOf(primary.port()))
                .start());
        for (int i = 0; i < 3; i++) {
            sentinels.add(RedisProcess.sentinel(
                            RedisProcess.freePort(),
                            dir,
                            String.join(
                                    "\n",
                                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + primary.port() + " 2",
                                    "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                                    "sentinel failover-timeout " + MASTER_NAME + " 3000",
                                    "sentinel parallel-syncs " + MASTER_NAME + " 1",
                                    ""))
                    .start());
        }
        awaitHealthy();
    }

    /** {@code redis://} URLs of the Sentinels, for {@code quarkus.redis.hosts} with {@code client-type=sentinel}. */
    public String sentinelHosts() {
        return sentinels.stream().map(s -> "redis://127.0.0.1:" + s.port()).collect(Collectors.joining(","));
    }

    /** The primary, as the first Sentinel names it. */
    public RedisProcess primary() {
        int port = masterPortSeenBy(sentinels.get(0));
        return node(port);
    }

    public RedisProcess replica() {
        int primary = primary().port();
        return nodes.stream().filter(n -> n.port() != primary).findFirst().orElseThrow();
    }

    /**
     * Waits until every Sentinel names the same primary, which says it is one and has its replica connected and in
     * sync, and every Sentinel knows the other two (a failover needs their votes) and the replica.
     */
    public void awaitHealthy() {
        Awaitility.await("a healthy Sentinel group")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> {
                    int master = masterPortSeenBy(sentinels.get(0));
                    return sentinels.stream()
                                    .allMatch(s -> masterPortSeenBy(s) == master
                                            && ((List<?>) s.call("SENTINEL", "SENTINELS", MASTER_NAME)).size() == 2
                                            && ((List<?>) s.call("SENTINEL", "REPLICAS", MASTER_NAME)).size() == 1)
                            && "master".equals(Resp.info(master, "replication", "role"))
                            && "1".equals(Resp.info(master, "replication", "connected_slaves"))
                            && Resp.info(master, "replication", "slave0").contains("state=online")
                            && "up".equals(Resp.info(replicaPortOf(master), "replication", "master_link_status"));
                });
    }

    /** Waits until every Sentinel names another primary than {@code old}, and that node says it is the primary. */
    public RedisProcess awaitFailoverFrom(RedisProcess old, Duration patience) {
        Awaitility.await("Sentinels promote a new primary")
                .atMost(patience)
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> sentinels.stream().allMatch(s -> masterPortSeenBy(s) != old.port())
                        && "master".equals(Resp.info(masterPortSeenBy(sentinels.get(0)), "replication", "role")));
        return primary();
    }

    /** Starts a killed node again, empty, as the replica of the current primary (what a restarted pod does). */
    public void restartAsReplica(RedisProcess killed) {
        int index = nodes.indexOf(killed);
        RedisProcess restarted = RedisProcess.server(
                        killed.port(),
                        dir,
                        "--replicaof",
                        "127.0.0.1",
                        String.valueOf(primary().port()))
                .start();
        nodes.set(index, restarted);
    }

    /** Starts every killed node again as a replica and waits for a healthy group: a failed test leaves none behind. */
    public void heal() {
        for (RedisProcess node : List.copyOf(nodes)) {
            if (!node.isRunning()) {
                restartAsReplica(node);
            }
        }
        awaitHealthy();
    }

    public RedisProcess node(int port) {
        return nodes.stream()
                .filter(n -> n.port() == port)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no node on port " + port));
    }

    @Override
    public void close() {
        sentinels.forEach(RedisProcess::kill);
        nodes.forEach(RedisProcess::kill);
        RedisProcess.deleteDir(dir);
    }

    private int replicaPortOf(int master) {
        return nodes.stream()
                .filter(n -> n.port() != master)
                .findFirst()
                .orElseThrow()
                .port();
    }

    private static int masterPortSeenBy(RedisProcess sentinel) {
        List<?> address = (List<?>) sentinel.call("SENTINEL", "get-master-addr-by-name", MASTER_NAME);
        return Integer.parseInt((String) address.get(1));
    }
}
