package io.tokengateway.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.tokengateway.config.GatewayConfig;
import io.vertx.mutiny.redis.client.Response;

/**
 * Runs Lua scripts on Redis in one round trip each, bounded by {@code gateway.redis.timeout} so that a
 * slow or unreachable Redis fails a request quickly instead of stalling it. Every failure (refused,
 * reset, timed out) surfaces as {@link RedisUnavailableException}; callers decide whether that fails
 * closed or open.
 */
@ApplicationScoped
public class RedisScripts {

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;

    RedisScripts(ReactiveRedisDataSource redis, GatewayConfig config) {
        this.redis = redis;
        this.timeout = config.redis().timeout();
    }

    /** {@code EVALSHA}, falling back to {@code EVAL} when Redis has not seen the script (after a restart). */
    public Uni<Response> run(LuaScript script, List<String> keys, List<String> args) {
        return bounded(redis.execute("EVALSHA", arguments(script.sha1(), keys, args))
                .onFailure(RedisScripts::isNoScript)
                .recoverWithUni(() -> redis.execute("EVAL", arguments(script.source(), keys, args))));
    }

    private Uni<Response> bounded(Uni<Response> call) {
        return call
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException())
                .onFailure().transform(RedisUnavailableException::new);
    }

    private static boolean isNoScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
    }

    private static String[] arguments(String script, List<String> keys, List<String> args) {
        List<String> all = new ArrayList<>(2 + keys.size() + args.size());
        all.add(script);
        all.add(Integer.toString(keys.size()));
        all.addAll(keys);
        all.addAll(args);
        return all.toArray(String[]::new);
    }
}
