package io.tokengateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real {@code redis-server} process on a fixed loopback port, which tests can stop and start again
 * to see how the gateway behaves when Redis goes away and comes back. Nothing is persisted.
 */
public final class RedisServer {

    private final int port;
    private final String password;
    private final Path workDir;
    private Process process;

    /** A server on a free port, not yet started. */
    public static RedisServer onFreePort() {
        return new RedisServer(FreePort.pick());
    }

    RedisServer(int port) {
        this(port, null);
    }

    /**
     * With {@code password} not null, a server that requires it ({@code --requirepass}, the {@code default}
     * user's password); {@link #command} authenticates with it first.
     */
    RedisServer(int port, String password) {
        this.port = port;
        this.password = password;
        try {
            this.workDir = Files.createTempDirectory("tokengateway-redis");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        List<String> arguments = new java.util.ArrayList<>(List.of(
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
                workDir.toString()));
        if (password != null) {
            arguments.addAll(List.of("--requirepass", password));
        }
        try {
            process = new ProcessBuilder(arguments)
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "redis-server could not be started; is it installed? (.ci/run installs it)", e);
        }
        awaitPing(Duration.ofSeconds(10));
    }

    /** Kills the server at once, as a crash or a network partition would. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Sends one inline command and returns the first reply line, for test assertions on Redis state; on a server
     * that requires a password, as the {@code default} user.
     */
    public String command(String inline) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            if (password != null) {
                out.write(("AUTH " + password + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            if (password != null && !"+OK".equals(in.readLine())) {
                throw new IllegalStateException("the test's own AUTH was refused");
            }
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitPing(Duration patience) {
        Instant deadline = Instant.now().plus(patience);
        while (Instant.now().isBefore(deadline)) {
            try {
                if ("+PONG".equals(command("PING"))) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // the server is still starting: poll the port again
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // poll interval while the process starts
        }
        throw new IllegalStateException("redis-server did not answer PING on port " + port);
    }
}
