package io.tokengateway.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a real {@code redis-server} on a free port for the test run and points the gateway at it.
 *
 * <p>Arguments (a test profile's {@code TestResourceEntry}) lock it: {@code requirepass} starts it with that
 * password ({@code --requirepass}); the gateway then logs in with {@code client-password} (default: the same) as
 * {@code quarkus.redis.password}, and with {@code client-user} as that ACL user, named in the URL
 * ({@code redis://host:port?user=<user>}; the test creates the user itself), or, with
 * {@code password-in-url=true}, with user and password both in the URL ({@code redis://user:password@host:port}). Such a server is injected into
 * fields marked {@code @InjectRedisServer(requiringPassword = true)}, the open one into the others.
 */
public class RedisServerResource implements QuarkusTestResourceLifecycleManager {

    private RedisServer server;
    private String requirepass;
    private String clientUser;
    private String clientPassword;
    private boolean passwordInUrl;

    @Override
    public void init(Map<String, String> initArgs) {
        requirepass = initArgs.get("requirepass");
        clientUser = initArgs.get("client-user");
        clientPassword = initArgs.getOrDefault("client-password", requirepass);
        passwordInUrl = Boolean.parseBoolean(initArgs.get("password-in-url"));
    }

    @Override
    public Map<String, String> start() {
        server = new RedisServer(RedisProcess.freePort(), requirepass);
        server.start();
        Map<String, String> config = new HashMap<>();
        if (requirepass == null) {
            config.put("quarkus.redis.hosts", server.url());
        } else if (clientUser != null && passwordInUrl) {
            config.put(
                    "quarkus.redis.hosts",
                    "redis://" + clientUser + ":" + clientPassword + "@127.0.0.1:" + server.port());
        } else if (clientUser != null) {
            config.put("quarkus.redis.hosts", server.url() + "?user=" + clientUser);
            config.put("quarkus.redis.password", clientPassword);
        } else {
            config.put("quarkus.redis.hosts", server.url());
            config.put("quarkus.redis.password", clientPassword);
        }
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, field -> {
            InjectRedisServer marked = field.getAnnotation(InjectRedisServer.class);
            return marked != null
                    && field.getType() == RedisServer.class
                    && marked.requiringPassword() == (requirepass != null);
        });
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
