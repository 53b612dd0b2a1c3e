package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tokengateway.testing.PackagedGateway;
import io.tokengateway.testing.RedisProcess;
import io.tokengateway.testing.Resp;
import io.tokengateway.testing.TestCertificates;
import io.tokengateway.testing.Tokens;
import io.vertx.core.json.JsonObject;

/**
 * The packaged gateway on a {@code rediss://} Redis behind a password, trusting a private CA: it talks to a
 * server whose certificate names the host it dialled, and to no other. A server holding a certificate from the
 * same CA for another name (an interceptor) never receives a command, so never the password: orders are 503
 * (Redis unavailable), as in any Redis outage.
 */
class RedisTlsIT {

    private static final String PASSWORD = "Pw-redis-tls-Vq83";
    private static final String ORDER = "{\"purchase_currency\":\"EUR\",\"order_amount\":100,\"order_tax_amount\":0,"
            + "\"order_lines\":[{\"name\":\"x\",\"quantity\":1,\"unit_price\":100,\"total_amount\":100}]}";

    private static final Path DIR = RedisProcess.workDir("tokengateway-redis-tls");
    private static TestCertificates certificates;
    private static RedisProcess named;
    private static RedisProcess misnamed;
    private static int namedTls;
    private static int misnamedTls;

    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void twoTlsRedisServers() {
        certificates = TestCertificates.ca(DIR)
                .server("named", "DNS:localhost,IP:127.0.0.1")
                .server("misnamed", "DNS:redis.elsewhere.example");
        namedTls = RedisProcess.freePort();
        misnamedTls = RedisProcess.freePort();
        named = tlsRedis("named", namedTls);
        misnamed = tlsRedis("misnamed", misnamedTls);
    }

    @AfterAll
    static void stop() {
        named.kill();
        misnamed.kill();
        RedisProcess.deleteDir(DIR);
    }

    @Test
    void aRedisWhoseCertificateNamesTheHostServesOrders() throws Exception {
        try (PackagedGateway gateway = PackagedGateway.start("redis-tls-named", overTls(namedTls))) {
            HttpResponse<String> order = order(gateway, "tls-named-1");
            assertEquals(200, order.statusCode(), order.body());
            assertFalse(gateway.output().contains(PASSWORD), "the password is in the gateway's output");
        }
    }

    @Test
    void aRedisWhoseCertificateNamesAnotherHostNeverReceivesThePassword() throws Exception {
        try (PackagedGateway gateway = PackagedGateway.start("redis-tls-misnamed", overTls(misnamedTls))) {
            HttpResponse<String> order = order(gateway, "tls-misnamed-1");
            assertEquals(503, order.statusCode(), order.body());
            assertEquals("DEPENDENCY_UNAVAILABLE", new JsonObject(order.body()).getString("error_code"));
            assertFalse(gateway.output().contains(PASSWORD), "the password is in the gateway's output");
        }
        // Our own login below is the only one the server saw: the gateway's HELLO/AUTH never got past TLS.
        String stats = String.valueOf(Resp.callAs(misnamed.port(), "default", PASSWORD, "INFO", "commandstats"));
        List<String> fromTheGateway = Arrays.stream(stats.split("\r\n"))
                .filter(line -> line.startsWith("cmdstat_"))
                .filter(line -> !line.startsWith("cmdstat_ping:") // the fixture's readiness check
                        && !line.startsWith("cmdstat_config|set:") // our requirepass
                        && !line.startsWith("cmdstat_info:")
                        && !line.startsWith("cmdstat_auth:calls=1,"))
                .toList();
        assertEquals(List.of(), fromTheGateway, stats);
    }

    /** redis-server with a plain port for the test's own set-up and a TLS port serving {@code name}'s certificate. */
    private static RedisProcess tlsRedis(String name, int tlsPort) {
        RedisProcess redis = RedisProcess.server(RedisProcess.freePort(), DIR, certificates.redisTlsArgs(name, tlsPort))
                .start();
        // The password last: the fixture's readiness check went in without one.
        redis.call("CONFIG", "SET", "requirepass", PASSWORD);
        return redis;
    }

    private static Map<String, String> overTls(int tlsPort) {
        return Map.of(
                "quarkus.redis.hosts",
                "rediss://127.0.0.1:" + tlsPort,
                "quarkus.redis.password",
                PASSWORD,
                "quarkus.redis.tls.trust-certificate-pem",
                "true",
                "quarkus.redis.tls.trust-certificate-pem.certs",
                certificates.caCertificate().toString());
    }

    private HttpResponse<String> order(PackagedGateway gateway, String key) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/customer-token/v1/tokens/kct-tls-1/order"))
                        .header("Authorization", "Bearer " + Tokens.forCaller("orders-team"))
                        .header("Klarna-Idempotency-Key", key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(ORDER))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
