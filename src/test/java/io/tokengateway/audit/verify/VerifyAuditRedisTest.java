package io.tokengateway.audit.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tokengateway.audit.AuditKeys;
import io.tokengateway.audit.RedisCheckpoints;
import io.tokengateway.audit.Trails;
import io.tokengateway.testing.LogCapture;
import io.tokengateway.testing.RedisCluster;
import io.tokengateway.testing.RedisProcess;
import io.tokengateway.testing.RedisSentinelGroup;
import io.tokengateway.testing.Resp;
import io.tokengateway.testing.TestCertificates;
import io.vertx.core.json.JsonObject;

/**
 * {@code verify-audit --redis} reads the stored checkpoints the way the gateway reaches Redis: behind a password
 * (or an ACL user), over TLS with a certificate made here, through Sentinel and from a Cluster. Whatever goes wrong,
 * nothing it prints or logs holds the password.
 */
class VerifyAuditRedisTest {

    static final String PASSWORD = "Pw-verify-7Hq2";
    static final Path DIR = RedisProcess.workDir("tokengateway-verify");
    static final Trails.Running LIFETIME = Trails.finished("v-1", 2, 3);
    static Path trail;
    static RedisProcess redis;
    static int tlsPort;
    static Path caCertificate;

    /** What the command printed (stdout and stderr) and its exit status. */
    record Run(int status, String printed) {}

    @BeforeAll
    static void redisWithPasswordAndTls() throws Exception {
        trail = DIR.resolve("audit.log");
        Files.write(trail, LIFETIME.sink.lines);
        TestCertificates certificates = TestCertificates.ca(DIR).server("server", "DNS:localhost,IP:127.0.0.1");
        caCertificate = certificates.caCertificate();
        tlsPort = RedisProcess.freePort();
        redis = RedisProcess.server(RedisProcess.freePort(), DIR, certificates.redisTlsArgs("server", tlsPort))
                .start();
        store(redis.port(), LIFETIME);
        // A read-only ACL user, as docs/audit.md suggests for the verifier.
        redis.call(
                "ACL",
                "SETUSER",
                "auditor",
                "on",
                ">auditor-Kp9",
                "~tg:audit:checkpoint:*",
                "-@all",
                "+@read",
                "+@connection");
        // The password last: the fixture's readiness check and the writes above went in without one.
        redis.call("CONFIG", "SET", "requirepass", PASSWORD);
    }

    @AfterAll
    static void stop() {
        redis.kill();
        RedisProcess.deleteDir(DIR);
    }

    @Test
    void aPasswordInTheUrlOrFromTheEnvironmentReadsTheCheckpoints() {
        Run inUrl = verify(Map.of(), "--redis", "redis://:" + PASSWORD + "@127.0.0.1:" + redis.port());
        assertIntact(inUrl, 1);
        Run fromEnvironment = verify(
                Map.of("TG_REDIS_PASSWORD", PASSWORD),
                "--redis",
                "redis://127.0.0.1:" + redis.port(),
                "--redis-password-env",
                "TG_REDIS_PASSWORD");
        assertIntact(fromEnvironment, 1);
        Run aclUser = verify(Map.of(), "--redis", "redis://auditor:auditor-Kp9@127.0.0.1:" + redis.port());
        assertIntact(aclUser, 1);
    }

    @Test
    void aRedisHoldingNoCheckpointAtAllIsRefusedNotTakenAsVerified() {
        // Database 7 is empty: the wrong database (or Redis, or user) must not pass for "verified against Redis".
        Run wrongDatabase = verify(Map.of(), "--redis", "redis://:" + PASSWORD + "@127.0.0.1:" + redis.port() + "/7");
        assertEquals(2, wrongDatabase.status(), wrongDatabase.printed());
        assertTrue(
                wrongDatabase.printed().contains("Redis holds no audit checkpoint of any lifetime"),
                wrongDatabase.printed());
        assertNoSecret(wrongDatabase.printed(), PASSWORD);
    }

    @Test
    void aWrongPasswordIsACredentialErrorThatNeverShowsThePassword() {
        try (LogCapture log = LogCapture.open()) {
            Run wrong = verify(Map.of(), "--redis", "redis://:Wrong-pw-Zx81@127.0.0.1:" + redis.port());
            assertEquals(2, wrong.status(), wrong.printed());
            assertTrue(wrong.printed().contains("WRONGPASS"), wrong.printed());
            assertNoSecret(wrong.printed() + log.all(), "Wrong-pw-Zx81");
            Run none = verify(Map.of(), "--redis", "redis://127.0.0.1:" + redis.port());
            assertEquals(2, none.status(), none.printed());
            assertTrue(none.printed().contains("NOAUTH"), none.printed());
        }
    }

    @Test
    void aMalformedUrlIsRefusedWithoutQuotingIt() {
        try (LogCapture log = LogCapture.open()) {
            Run malformed = verify(Map.of(), "--redis", "redis://auditor:Se cret-77@127.0.0.1:" + redis.port());
            assertEquals(2, malformed.status(), malformed.printed());
            assertTrue(malformed.printed().contains("is malformed"), malformed.printed());
            Run percent = verify(Map.of(), "--redis", "redis://auditor:Se%zzcret-77@127.0.0.1:" + redis.port());
            assertEquals(2, percent.status(), percent.printed());
            Run scheme = verify(Map.of(), "--redis", "http://auditor:Secret-77@127.0.0.1:" + redis.port());
            assertEquals(2, scheme.status(), scheme.printed());
            assertNoSecret(malformed.printed() + percent.printed() + scheme.printed() + log.all(), "cret-77");
        }
    }

    @Test
    void rediss_readsOverTlsTrustingTheGivenCertificateAndRefusesAnUntrustedOne() {
        Run tls = verify(
                Map.of(),
                "--redis",
                "rediss://:" + PASSWORD + "@localhost:" + tlsPort,
                "--redis-trust-certs",
                caCertificate.toString());
        assertIntact(tls, 1);
        try (LogCapture log = LogCapture.open()) {
            Run untrusted = verify(Map.of(), "--redis", "rediss://:" + PASSWORD + "@localhost:" + tlsPort);
            assertEquals(2, untrusted.status(), untrusted.printed());
            assertTrue(untrusted.printed().contains("cannot read checkpoints from Redis"), untrusted.printed());
            assertNoSecret(untrusted.printed() + log.all(), PASSWORD);
        }
    }

    @Test
    void sentinelFindsThePrimary() {
        try (RedisSentinelGroup group = RedisSentinelGroup.start()) {
            store(group.primary().port(), LIFETIME);
            Run run = verify(
                    Map.of(),
                    "--redis",
                    group.sentinelHosts(),
                    "--redis-client-type",
                    "sentinel",
                    "--redis-master-name",
                    RedisSentinelGroup.MASTER_NAME);
            assertIntact(run, 1);
        }
    }

    @Test
    void aSidecarsLifetimeKeyedByItsTrustDomainIsReadAndMissedWhenItsTrailIsGone() throws IOException {
        Trails.Running sidecar = Trails.finished("v-sidecar", 1, 2);
        String key = RedisCheckpoints.key("checkout", "v-sidecar");
        assertEquals("tg:audit:checkpoint:{checkout:v-sidecar}", key);
        for (String line : sidecar.checkpoints.get("v-sidecar")) {
            Resp.callAs(
                    redis.port(),
                    "default",
                    PASSWORD,
                    "ZADD",
                    key,
                    String.valueOf(new JsonObject(line).getLong("seq")),
                    line);
        }
        try {
            Path sidecarTrail = DIR.resolve("sidecar.log");
            Files.write(sidecarTrail, sidecar.sink.lines);
            String url = "redis://:" + PASSWORD + "@127.0.0.1:" + redis.port();
            assertIntact(verifyFiles(Map.of(), List.of(trail, sidecarTrail), "--redis", url), 2);
            // The sidecar's trail removed: its checkpoints in Redis still name the lifetime.
            Run removed = verify(Map.of(), "--redis", url);
            assertEquals(1, removed.status(), removed.printed());
            assertTrue(
                    removed.printed().contains("instance v-sidecar: Redis seq")
                            && removed.printed().contains("missing lifetime"),
                    removed.printed());
        } finally {
            Resp.callAs(redis.port(), "default", PASSWORD, "DEL", key);
        }
    }

    @Test
    void clusterReadsTheCheckpointsOfEveryPrimary() throws IOException {
        try (RedisCluster cluster = RedisCluster.start()) {
            // Two lifetimes whose keys live on different primaries.
            Trails.Running other = null;
            for (int i = 2; other == null; i++) {
                String instance = "v-" + i;
                if (!cluster.masterOf(cluster.keySlot(RedisCheckpoints.key(instance)))
                        .id()
                        .equals(cluster.masterOf(cluster.keySlot(RedisCheckpoints.key("v-1")))
                                .id())) {
                    other = Trails.finished(instance, 1, 2);
                }
            }
            for (Trails.Running lifetime : List.of(LIFETIME, other)) {
                String instance = lifetime.checkpoints.keySet().iterator().next();
                store(
                        cluster.masterOf(cluster.keySlot(RedisCheckpoints.key(instance)))
                                .port(),
                        lifetime);
            }
            Path otherTrail = DIR.resolve("other.log");
            Files.write(otherTrail, other.sink.lines);
            Run run = verifyFiles(
                    Map.of(),
                    List.of(trail, otherTrail),
                    "--redis",
                    "redis://127.0.0.1:" + cluster.anyPort(),
                    "--redis-client-type",
                    "cluster");
            assertIntact(run, 2);
        }
    }

    static void assertIntact(Run run, int lifetimesInRedis) {
        assertEquals(0, run.status(), run.printed());
        assertTrue(run.printed().contains(lifetimesInRedis + " lifetime(s) in Redis: intact"), run.printed());
    }

    static void assertNoSecret(String output, String secret) {
        assertFalse(output.contains(secret), "the password is in the output:\n" + output);
    }

    static Run verify(Map<String, String> environment, String... redisArgs) {
        return verifyFiles(environment, List.of(trail), redisArgs);
    }

    static Run verifyFiles(Map<String, String> environment, List<Path> files, String... redisArgs) {
        List<String> args = new ArrayList<>(List.of("--public-key", AuditKeys.toBase64(Trails.KEYS.getPublic())));
        args.addAll(List.of(redisArgs));
        files.forEach(file -> args.add(file.toString()));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(printed, true, StandardCharsets.UTF_8);
        int status = VerifyAuditCommand.run(args, environment::get, stream, stream);
        return new Run(status, printed.toString(StandardCharsets.UTF_8));
    }

    /** Stores a lifetime's checkpoints as the gateway does: one sorted set per lifetime, scored by seq. */
    static void store(int port, Trails.Running lifetime) {
        lifetime.checkpoints.forEach((instance, lines) -> {
            for (String line : lines) {
                Resp.call(
                        port,
                        "ZADD",
                        RedisCheckpoints.key(instance),
                        String.valueOf(new JsonObject(line).getLong("seq")),
                        line);
            }
        });
    }
}
