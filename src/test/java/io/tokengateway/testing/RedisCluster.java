package io.tokengateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;

/**
 * A real Redis Cluster on loopback: three masters with one replica each ({@code redis-server --cluster-enabled yes},
 * joined by {@code redis-cli --cluster create --cluster-replicas 1}), nothing persisted. Ready when every node
 * says {@code cluster_state:ok} and every master has its replica connected.
 */
public final class RedisCluster implements AutoCloseable {

    /** One node as {@code CLUSTER NODES} describes it. */
    public record Node(String id, int port, boolean master, String masterId, List<int[]> slotRanges) {

        public boolean owns(int slot) {
            return slotRanges.stream().anyMatch(range -> slot >= range[0] && slot <= range[1]);
        }
    }

    private final Path dir = RedisProcess.workDir("tokengateway-cluster");
    private final List<RedisProcess> processes = new ArrayList<>();

    public static RedisCluster start() {
        RedisCluster cluster = new RedisCluster();
        try {
            cluster.create();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void create() {
        for (int i = 0; i < 6; i++) {
            int port = RedisProcess.freePort();
            processes.add(RedisProcess.server(
                            port,
                            dir,
                            "--cluster-enabled",
                            "yes",
                            "--cluster-config-file",
                            "nodes-" + port + ".conf",
                            "--cluster-node-timeout",
                            "5000")
                    .start());
        }
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        processes.forEach(p -> command.add("127.0.0.1:" + p.port()));
        command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        run(command);
        Awaitility.await("cluster_state:ok on every node, every replica connected")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> processes.stream().allMatch(p -> Resp.text(p.port(), "CLUSTER", "INFO")
                                .contains("cluster_state:ok"))
                        && masters().size() == 3
                        && masters().stream()
                                .allMatch(m -> "1".equals(Resp.info(m.port(), "replication", "connected_slaves"))));
    }

    /** {@code redis://} URLs of every node, comma-separated, for {@code quarkus.redis.hosts}. */
    public String hosts() {
        return processes.stream().map(p -> "redis://127.0.0.1:" + p.port()).collect(Collectors.joining(","));
    }

    public int anyPort() {
        return processes.get(0).port();
    }

    public int keySlot(String key) {
        return ((Long) Resp.call(anyPort(), "CLUSTER", "KEYSLOT", key)).intValue();
    }

    /** Every node, as one node currently sees the cluster. */
    public List<Node> nodes() {
        return nodes(anyPort());
    }

    public List<Node> masters() {
        return nodes().stream().filter(Node::master).toList();
    }

    public Node masterOf(int slot) {
        return masters().stream()
                .filter(m -> m.owns(slot))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no master owns slot " + slot));
    }

    public Node replicaOf(Node master) {
        return nodes().stream()
                .filter(n -> master.id().equals(n.masterId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("master " + master.port() + " has no replica"));
    }

    public RedisProcess process(Node node) {
        return processes.stream()
                .filter(p -> p.port() == node.port())
                .findFirst()
                .orElseThrow();
    }

    /**
     * Moves one slot, keys included, from its master to {@code target} while clients keep using it, as
     * {@code redis-cli --cluster reshard} does: IMPORTING / MIGRATING, MIGRATE of every key (clients meanwhile get
     * ASK for keys already moved), then the new owner announced to every master.
     */
    public void migrateSlot(int slot, Node target) {
        Node source = masterOf(slot);
        String slotText = String.valueOf(slot);
        Resp.call(target.port(), "CLUSTER", "SETSLOT", slotText, "IMPORTING", source.id());
        Resp.call(source.port(), "CLUSTER", "SETSLOT", slotText, "MIGRATING", target.id());
        while (true) {
            @SuppressWarnings("unchecked")
            List<Object> keys = (List<Object>) Resp.call(source.port(), "CLUSTER", "GETKEYSINSLOT", slotText, "10");
            if (keys.isEmpty()) {
                break;
            }
            List<String> migrate = new ArrayList<>(
                    List.of("MIGRATE", "127.0.0.1", String.valueOf(target.port()), "", "0", "5000", "KEYS"));
            keys.forEach(k -> migrate.add((String) k));
            Resp.call(source.port(), migrate.toArray(String[]::new));
        }
        Resp.call(target.port(), "CLUSTER", "SETSLOT", slotText, "NODE", target.id());
        Resp.call(source.port(), "CLUSTER", "SETSLOT", slotText, "NODE", target.id());
        for (Node master : masters()) {
            if (master.port() != source.port() && master.port() != target.port()) {
                Resp.call(master.port(), "CLUSTER", "SETSLOT", slotText, "NODE", target.id());
            }
        }
        Awaitility.await("every node sees slot " + slot + " on " + target.port())
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> processes.stream()
                        .allMatch(p -> nodes(p.port()).stream()
                                        .filter(Node::master)
                                        .filter(m -> m.owns(slot))
                                        .map(Node::port)
                                        .findFirst()
                                        .orElse(-1)
                                == target.port()));
    }

    /** Whether the key is stored on that node (asked directly, without following redirections). */
    public boolean holds(Node node, String key) {
        try {
            return ((Long) Resp.call(node.port(), "EXISTS", key)) == 1;
        } catch (Resp.ErrorReply movedOrAsk) {
            return false;
        }
    }

    @Override
    public void close() {
        processes.forEach(RedisProcess::kill);
        RedisProcess.deleteDir(dir);
    }

    private static List<Node> nodes(int port) {
        List<Node> nodes = new ArrayList<>();
        for (String line : Resp.text(port, "CLUSTER", "NODES").split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split(" ");
            int nodePort = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1, f[1].indexOf('@')));
            List<int[]> ranges = new ArrayList<>();
            for (int i = 8; i < f.length; i++) {
                if (f[i].startsWith("[")) {
                    continue; // a slot being migrated or imported, still owned as listed elsewhere
                }
                String[] bounds = f[i].split("-");
                ranges.add(new int[] {Integer.parseInt(bounds[0]), Integer.parseInt(bounds[bounds.length - 1])});
            }
            boolean master = f[2].contains("master") && !f[2].contains("fail");
            nodes.add(new Node(f[0], nodePort, master, "-".equals(f[3]) ? null : f[3], ranges));
        }
        return nodes;
    }

    private void run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
