package io.tokengateway.testing;

import java.nio.file.Path;

/**
 * A standalone Redis for one test class or one packaged gateway: a {@link RedisProcess} data node on a free
 * loopback port, which tests stop and start again to see how the gateway behaves when Redis goes away and comes
 * back. Nothing is persisted.
 */
public final class RedisServer {

    private final int port;
    private final String password;
    private final RedisProcess process;

    /** A server on a free port, not yet started. */
    public static RedisServer onFreePort() {
        return new RedisServer(RedisProcess.freePort(), null);
    }

    /**
     * With {@code password} not null, a server that requires it ({@code --requirepass}, the {@code default}
     * user's password); {@link #call} logs in with it first.
     */
    RedisServer(int port, String password) {
        this.port = port;
        this.password = password;
        Path dir = RedisProcess.workDir("tokengateway-redis");
        this.process = password == null
                ? RedisProcess.server(port, dir)
                : RedisProcess.server(port, dir, "--requirepass", password);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public void start() {
        process.start();
    }

    /** Kills the server at once, as a crash or a network partition would. */
    public void stop() {
        process.kill();
    }

    public boolean isRunning() {
        return process.isRunning();
    }

    /** Sends one command and returns its reply, for assertions on Redis state; as {@code default} on a server with a password. */
    public Object call(String... args) {
        return password == null ? Resp.call(port, args) : Resp.callAs(port, "default", password, args);
    }
}
