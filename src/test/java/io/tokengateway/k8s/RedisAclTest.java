package io.tokengateway.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tokengateway.audit.AuditService;
import io.tokengateway.digest.Sha256;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.RedisProcess;
import io.tokengateway.testing.Resp;

/**
 * The shipped Redis ACL ({@code k8s/redis/acl/users.acl.template}) on a real {@code redis-server}: the gateway
 * logged in as a sidecar namespace's user (limited to {@code ~tg:*{m3}*}, here its stand-in acl-m1) serves it in full (rate limit, daily
 * amount, idempotency, audit checkpoints under its trust domain), and cannot touch another merchant's keys or
 * another gateway's audit checkpoints: Redis answers NOPERM.
 */
@QuarkusTest
@TestProfile(RedisAclTest.AsOneNamespacesUser.class)
class RedisAclTest {

    static final String OWN = "acl-m1";
    static final String OTHER = "acl-m2";
    static final String CALLER = "acl-team";
    static final String USER = "tg-checkout";
    /** The namespace the template's user serves, as the sidecar overlay sets gateway.audit.trust-domain. */
    static final String DOMAIN = "checkout";

    public static class AsOneNamespacesUser implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            for (String merchant : List.of(OWN, OTHER)) {
                String prefix = "gateway.merchants." + merchant + ".";
                config.put(prefix + "base-url", "http://127.0.0.1:${gateway.sandbox.port}");
                config.put(prefix + "username", "sandbox-main-shop");
                config.put(prefix + "password", "main-shop-secret-Zq7");
                // every Redis script of the request path runs: rate limit, daily amount, idempotency
                config.put(prefix + "order-limit.daily-amount", "1000000");
            }
            config.put("gateway.callers." + CALLER + ".merchants", OWN + "," + OTHER);
            config.put("gateway.callers." + CALLER + ".operations", "read-token,create-order");
            config.put("gateway.audit.trust-domain", DOMAIN);
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(AclRedis.class));
        }
    }

    /** A redis-server that loads the shipped ACL template, filled in as docs/operations.md shows. */
    public static class AclRedis implements QuarkusTestResourceLifecycleManager {
        private RedisProcess redis;
        private Path dir;

        @Override
        public Map<String, String> start() {
            // Made here and handed over as configuration: the test class lives in another class loader.
            String userPassword = "sidecar-" + UUID.randomUUID();
            String defaultPassword = "central-" + UUID.randomUUID();
            dir = RedisProcess.workDir("tokengateway-acl");
            int port = RedisProcess.freePort();
            try {
                String acl = Files.readString(Path.of(KubernetesManifestsTest.ACL_TEMPLATE))
                        .replace("@DEFAULT_PASSWORD_SHA256@", sha256(defaultPassword))
                        .replace("@CHECKOUT_PASSWORD_SHA256@", sha256(userPassword))
                        .replace("{m3}", "{" + OWN + "}");
                Files.writeString(dir.resolve("users.acl"), acl);
                redis = RedisProcess.server(
                                port, dir, "--aclfile", dir.resolve("users.acl").toString())
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // As the sidecar overlay configures it: the user in the URL, its password apart (QUARKUS_REDIS_PASSWORD).
            return Map.of(
                    "quarkus.redis.hosts",
                    "redis://127.0.0.1:" + port + "?user=" + USER,
                    "quarkus.redis.password",
                    userPassword,
                    "acl-test.port",
                    String.valueOf(port),
                    "acl-test.default-password",
                    defaultPassword);
        }

        @Override
        public void stop() {
            if (redis != null) {
                redis.kill();
            }
            if (dir != null) {
                RedisProcess.deleteDir(dir);
            }
        }
    }

    @Inject
    SandboxServer sandbox;

    @Inject
    AuditService audit;

    @ConfigProperty(name = "acl-test.port")
    int port;

    @ConfigProperty(name = "quarkus.redis.password")
    String userPassword;

    @ConfigProperty(name = "acl-test.default-password")
    String defaultPassword;

    @ConfigProperty(name = "quarkus.redis.hosts")
    String hosts;

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    @Test
    void theNamespacesUserServesItsOwnMerchantInFull() {
        assertEquals("redis://127.0.0.1:" + port + "?user=" + USER, hosts, "the gateway uses the Redis with the ACL");
        String key = "acl-" + UUID.randomUUID();
        order(OWN, key).then().statusCode(200);
        order(OWN, key).then().statusCode(200); // replayed from Redis
        assertEquals(1, ordersSentUpstream(), "the replay came from the stored answer");
        for (String redisKey : List.of(
                "tg:idem:{" + OWN + "}:" + Sha256.hex(key),
                "tg:rate:{" + OWN + "}",
                "tg:amount:{" + OWN + "}:EUR",
                "tg:amount:{" + OWN + "}:key:" + Sha256.hex(key))) {
            assertEquals(1L, asDefault("EXISTS", redisKey), redisKey);
        }
        // The audit checkpoints (keyed by instance, not merchant) are stored by the same user, under its domain.
        String ownKey = "tg:audit:checkpoint:{" + DOMAIN + ":" + audit.instance() + "}";
        Awaitility.await("an audit checkpoint stored as " + USER + " in " + ownKey)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> ((Number) asDefault("ZCARD", ownKey)).longValue() > 0);
        assertTrue(((Number) asDefault("PTTL", ownKey)).longValue() > 0, "kept for the retention, then gone");
        assertEquals(
                0L, asDefault("EXISTS", "tg:audit:checkpoint:{" + audit.instance() + "}"), "none without its domain");
    }

    @Test
    void theNamespacesUserCannotShortenOrForgeAnotherGatewaysAuditCheckpoints() {
        // A central gateway's lifetime (no trust domain) and another namespace's, written as the central user.
        String central = "tg:audit:checkpoint:{" + UUID.randomUUID() + "}";
        String otherNamespace = "tg:audit:checkpoint:{payments:" + UUID.randomUUID() + "}";
        for (String key : List.of(central, otherNamespace)) {
            asDefault("ZADD", key, "2", "{\"seq\":2}");
            asDefault("PEXPIRE", key, "86400000");
            for (List<String> command : List.of(
                    List.of("PEXPIRE", key, "1"),
                    List.of("EXPIRE", key, "1"),
                    List.of("ZADD", key, "3", "{\"seq\":3,\"forged\":true}"),
                    List.of("ZREMRANGEBYSCORE", key, "-inf", "+inf"),
                    List.of("DEL", key))) {
                Resp.ErrorReply refused = assertThrows(
                        Resp.ErrorReply.class,
                        () -> Resp.callAs(port, USER, userPassword, command.toArray(String[]::new)),
                        command.get(0) + " " + key);
                assertTrue(refused.getMessage().startsWith("NOPERM"), refused.getMessage());
            }
            // Nor through a script (the user may run EVAL for the request path's scripts).
            Resp.ErrorReply byScript = assertThrows(
                    Resp.ErrorReply.class,
                    () -> Resp.callAs(
                            port, USER, userPassword, "EVAL", "return redis.call('PEXPIRE', ARGV[1], 1)", "0", key));
            assertTrue(byScript.getMessage().contains("can't access"), byScript.getMessage());
            assertEquals(1L, asDefault("ZCARD", key), "untouched: " + key);
            assertTrue(((Number) asDefault("PTTL", key)).longValue() > 86_000_000L, "expiry untouched: " + key);
        }
        // Its own domain's checkpoints it may write (what the gateway does).
        String own = "tg:audit:checkpoint:{" + DOMAIN + ":" + UUID.randomUUID() + "}";
        assertEquals(1L, Resp.callAs(port, USER, userPassword, "ZADD", own, "1", "{\"seq\":1}"));
        assertEquals(1L, Resp.callAs(port, USER, userPassword, "PEXPIRE", own, "86400000"));
        // and trim (retention: checkpoints older than gateway.audit.retention leave a running lifetime's set).
        assertEquals(1L, Resp.callAs(port, USER, userPassword, "ZADD", own, "2", "{\"seq\":2}"));
        assertEquals(1L, Resp.callAs(port, USER, userPassword, "ZREMRANGEBYSCORE", own, "-inf", "1"));
        asDefault("DEL", central, otherNamespace, own);
    }

    @Test
    void theNamespacesUserCannotTouchAnotherMerchantsKeys() {
        Response refused = order(OTHER, "acl-" + UUID.randomUUID());
        assertTrue(
                List.of(500, 503).contains(refused.statusCode()),
                "Redis refused every key of " + OTHER + ": " + refused.statusCode() + " " + refused.asString());
        assertEquals(0, ordersSentUpstream(), "nothing forwarded without its claim and its limits");
        List<?> keys =
                (List<?>) ((List<?>) asDefault("SCAN", "0", "MATCH", "*{" + OTHER + "}*", "COUNT", "1000")).get(1);
        assertEquals(List.of(), keys);

        Resp.ErrorReply noperm = assertThrows(
                Resp.ErrorReply.class,
                () -> Resp.callAs(port, USER, userPassword, "SET", "tg:idem:{" + OTHER + "}:forged", "{}"));
        assertTrue(noperm.getMessage().startsWith("NOPERM"), noperm.getMessage());
        Resp.ErrorReply flush =
                assertThrows(Resp.ErrorReply.class, () -> Resp.callAs(port, USER, userPassword, "FLUSHALL"));
        assertTrue(flush.getMessage().startsWith("NOPERM"), flush.getMessage());
    }

    long ordersSentUpstream() {
        return sandbox.received().stream()
                .filter(r -> r.method().equals("POST") && r.path().endsWith("/order"))
                .count();
    }

    Object asDefault(String... command) {
        return Resp.callAs(port, "default", defaultPassword, command);
    }

    static Response order(String merchant, String key) {
        return Calls.as(CALLER, merchant)
                .header("Klarna-Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body(
                        "{\"purchase_currency\":\"EUR\",\"order_amount\":100,\"order_tax_amount\":0,"
                                + "\"order_lines\":[{\"name\":\"Shoe\",\"quantity\":1,\"unit_price\":100,\"total_amount\":100}]}")
                .when()
                .post(Calls.CREATE_ORDER, "kct-acl-1");
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
