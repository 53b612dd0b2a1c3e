package io.tokengateway.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts a real {@code redis-server} on a free port for the test run and points the gateway at it. */
public class RedisServerResource implements QuarkusTestResourceLifecycleManager {

    private RedisServer server;

    @Override
    public Map<String, String> start() {
        server = new RedisServer(FreePort.pick());
        server.start();
        return Map.of("quarkus.redis.hosts", server.url());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(
                server, new TestInjector.AnnotatedAndMatchesType(InjectRedisServer.class, RedisServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
