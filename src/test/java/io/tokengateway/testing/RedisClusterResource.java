package io.tokengateway.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a real {@link RedisCluster} for a test profile and points the gateway's Redis client at every node in
 * cluster mode; the test receives the cluster in a field of type {@link RedisCluster}.
 */
public class RedisClusterResource implements QuarkusTestResourceLifecycleManager {

    private RedisCluster cluster;

    @Override
    public Map<String, String> start() {
        cluster = RedisCluster.start();
        return Map.of("quarkus.redis.client-type", "cluster", "quarkus.redis.hosts", cluster.hosts());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(cluster, new TestInjector.MatchesType(RedisCluster.class));
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
