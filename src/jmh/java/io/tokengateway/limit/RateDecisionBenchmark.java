package io.tokengateway.limit;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import io.tokengateway.bench.BenchmarkDefaults;
import io.tokengateway.testing.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Whether leasing the rate budget would pay (issue 28): the rate limit's decision made in this replica's memory
 * (the GCRA of {@link LocalRateLimiter}, and the cheapest lease-style decision, spending a locally held budget)
 * against the shared decision, the GCRA script ({@code rate_limit.lua}) in one round trip over the Vert.x Redis
 * client to a local redis-server. Same run, one caller thread: the latency one request pays for the decision.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RateDecisionBenchmark extends BenchmarkDefaults {

    private static final LimitPolicy POLICY =
            new LimitPolicy(1_000_000_000d, 1_000_000, Set.of(), OptionalLong.empty(), OptionalLong.empty(), false);

    private final LocalRateLimiter local = new LocalRateLimiter();
    private final AtomicLong leasedBudget = new AtomicLong();
    private RedisServer server;
    private Vertx vertx;
    private RedisConnection connection;
    private String sha;

    @Setup(Level.Trial)
    public void startRedis() throws Exception {
        server = RedisServer.onFreePort();
        server.start();
        vertx = Vertx.vertx();
        connection = Redis.createClient(vertx, server.url())
                .connect()
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        String script;
        try (var in = getClass().getResourceAsStream("/io/tokengateway/limit/rate_limit.lua")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        sha = send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script)).toString();
    }

    @TearDown(Level.Trial)
    public void stopRedis() {
        connection.close();
        vertx.close();
        server.stop();
    }

    /** The shared GCRA: one EVALSHA round trip to Redis, waited for (the request path waits for it too). */
    @Benchmark
    public Response redisRoundTrip() throws Exception {
        return send(Request.cmd(Command.EVALSHA)
                .arg(sha)
                .arg(1)
                .arg("tg:rate:{bench}")
                .arg(POLICY.emissionIntervalMicros())
                .arg(POLICY.burst())
                .arg(0));
    }

    /** The same GCRA in this replica's memory. */
    @Benchmark
    public RateDecision localGcra() {
        return local.check("bench", POLICY);
    }

    /** A lease's local decision: spend one request of a budget this replica holds (refilled when it runs out). */
    @Benchmark
    public boolean leaseSpend() {
        if (leasedBudget.decrementAndGet() >= 0) {
            return true;
        }
        leasedBudget.set(1_000); // stands in for the next lease
        return false;
    }

    private Response send(Request request) throws Exception {
        return connection
                .send(request)
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }
}
