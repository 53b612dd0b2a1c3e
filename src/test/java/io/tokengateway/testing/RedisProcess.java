package io.tokengateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

/**
 * One real {@code redis-server} process (a data node, a cluster node or a Sentinel) on a loopback port, in a
 * working directory of its own that nothing is persisted to. Tests kill it by PID (SIGKILL, as a crash),
 * freeze and thaw it (SIGSTOP / SIGCONT, as a stalled host), and start it again on the same port.
 */
public final class RedisProcess {

    private final int port;
    private final Path dir;
    private final List<String> arguments;
    private Process process;

    private RedisProcess(int port, Path dir, List<String> arguments) {
        this.port = port;
        this.dir = dir;
        this.arguments = arguments;
    }

    /** A data node: {@code redis-server} on {@code port} with {@code extra} arguments, no RDB, no AOF. */
    public static RedisProcess server(int port, Path dir, String... extra) {
        List<String> arguments = new ArrayList<>(List.of(
                "redis-server",
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString()));
        arguments.addAll(List.of(extra));
        return new RedisProcess(port, dir, arguments);
    }

    /** A Sentinel with a generated configuration file (Sentinel rewrites it, so it lives in the node's directory). */
    public static RedisProcess sentinel(int port, Path dir, String configuration) {
        Path config = dir.resolve("sentinel-" + port + ".conf");
        try {
            Files.writeString(config, "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\n" + configuration);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RedisProcess(port, dir, List.of("redis-server", config.toString(), "--sentinel"));
    }

    /**
     * A loopback port under 55000 that is free, and whose cluster bus port (port + 10000) is free too; below the
     * kernel's ephemeral range, so the port is not handed out to an outgoing connection meanwhile.
     */
    public static int freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (isFree(port) && isFree(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port pair found");
    }

    /** A fresh, empty working directory for a group of nodes. */
    public static Path workDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public synchronized RedisProcess start() {
        if (isRunning()) {
            return this;
        }
        try {
            process = new ProcessBuilder(arguments)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("redis-" + port + ".log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server could not be started; is it installed?", e);
        }
        Awaitility.await("redis on port " + port)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .ignoreExceptions()
                .until(() -> answers(port));
        return this;
    }

    /** Redis answers: PONG, or a refusal to a client that has not logged in (a node that requires a password). */
    private static boolean answers(int port) {
        try {
            return "PONG".equals(Resp.call(port, "PING"));
        } catch (Resp.ErrorReply refused) {
            return refused.getMessage().startsWith("NOAUTH");
        }
    }

    /** SIGKILL by PID, as a crash: nothing is flushed, no client is told. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly(); // SIGKILL on Unix
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis on port " + port + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** SIGSTOP: the process stops reading its sockets, as on a stalled host, until {@link #resume()}. */
    public void freeze() {
        signal("-STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public void resume() {
        signal("-CONT");
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Sends one command to this node. */
    public Object call(String... args) {
        return Resp.call(port, args);
    }

    /** Removes the working directory (logs, cluster and sentinel files) once every node in it is gone. */
    public static void deleteDir(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory harms nothing
        }
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, String.valueOf(pid()))
                    .inheritIO()
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
