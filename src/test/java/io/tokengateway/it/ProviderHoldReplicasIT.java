package io.tokengateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.tokengateway.testing.PackagedGateway;
import io.tokengateway.testing.Resp;
import io.tokengateway.testing.Tokens;
import io.vertx.core.json.JsonObject;

/**
 * Two packaged replicas on one Redis, two merchants each with a provider of its own (WireMock, counting what it
 * receives): a provider 429 at one replica holds the merchant at the other too, for the provider's
 * {@code Retry-After} and no longer, capped at a minute; the other merchant is untouched.
 */
class ProviderHoldReplicasIT {

    private static final String HOLD_KEY = "tg:hold:{main-shop}";
    private static final String PROVIDER_429 = "{\"error_code\":\"RATE_LIMITED\",\"error_messages\":[\"slow down\"]}";

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    static Map<String, String> config(Path audit, WireMockServer main, WireMockServer other) {
        return Map.of(
                "gateway.audit.sink", "file",
                "gateway.audit.file.path", audit.resolve("audit.log").toString(),
                "gateway.merchants.main-shop.base-url", main.baseUrl(),
                "gateway.merchants.other-shop.base-url", other.baseUrl(),
                "gateway.merchants.other-shop.username", "other-shop",
                "gateway.merchants.other-shop.password", "other-shop-secret-Zq7",
                "gateway.callers.orders-team.merchants", "main-shop,other-shop");
    }

    @Test
    void aProvider429AtOneReplicaHoldsTheMerchantAtEveryReplicaForItsRetryAfter() throws Exception {
        Path dir = Path.of("target", "it-logs", "provider-hold");
        deleteRecursively(dir);
        WireMockServer main = new WireMockServer(options().dynamicPort());
        WireMockServer other = new WireMockServer(options().dynamicPort());
        main.start();
        other.start();
        try (PackagedGateway a = PackagedGateway.start("provider-hold-a", config(dir.resolve("a"), main, other));
                PackagedGateway b = a.startReplica("provider-hold-b", config(dir.resolve("b"), main, other))) {
            other.stubFor(any(anyUrl()).willReturn(okJson()));
            // Both replicas warm (first token verified, first provider call made), so that B's check below lands
            // well inside the 3 s hold even on a loaded machine.
            assertEquals(200, read(a, "other-shop", "warm-a").statusCode());
            assertEquals(200, read(b, "other-shop", "warm-b").statusCode());
            main.stubFor(any(anyUrl()).willReturn(tooMany("3")));

            long heldAt = System.nanoTime(); // before the hold is set: what follows measures at least its length
            HttpResponse<String> first = read(a, "main-shop", "hold-first");
            assertEquals(429, first.statusCode(), first.body());
            assertEquals("3", first.headers().firstValue("Retry-After").orElseThrow(), "the provider's answer, as is");
            assertEquals(1, main.getAllServeEvents().size());

            HttpResponse<String> held = read(b, "main-shop", "hold-at-b");
            assertEquals(429, held.statusCode(), held.body());
            assertEquals("UPSTREAM_RATE_LIMITED", new JsonObject(held.body()).getString("error_code"));
            long retryAfter =
                    Long.parseLong(held.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 3, "Retry-After " + retryAfter);
            assertEquals(1, main.getAllServeEvents().size(), "the provider was not called while held");

            HttpResponse<String> untouched = read(b, "other-shop", "other-at-b");
            assertEquals(200, untouched.statusCode(), untouched.body());

            // Once the provider's Retry-After has passed, the merchant is served again, at either replica.
            main.resetAll();
            main.stubFor(any(anyUrl()).willReturn(okJson()));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            HttpResponse<String> again = read(b, "main-shop", "again-0");
            for (int i = 1; again.statusCode() == 429 && System.nanoTime() < deadline; i++) {
                assertEquals("UPSTREAM_RATE_LIMITED", new JsonObject(again.body()).getString("error_code"));
                Thread.sleep(100); // polling pace, not synchronisation: the condition is the answer itself
                again = read(b, "main-shop", "again-" + i);
            }
            assertEquals(200, again.statusCode(), again.body());
            long heldFor = Duration.ofNanos(System.nanoTime() - heldAt).toMillis();
            assertTrue(heldFor >= 2_900, "held for only " + heldFor + " ms");
            assertEquals(1, main.getAllServeEvents().size(), "one call to the provider: the one that was served");

            // An absurd Retry-After holds for a minute at most.
            main.resetAll();
            main.stubFor(any(anyUrl()).willReturn(tooMany("100000")));
            assertEquals(429, read(a, "main-shop", "absurd").statusCode());
            long pttl = (Long) Resp.call(a.redis().port(), "PTTL", HOLD_KEY);
            assertTrue(pttl > 50_000 && pttl <= 60_000, "PTTL " + pttl);
            HttpResponse<String> capped = read(b, "main-shop", "capped-at-b");
            assertEquals("UPSTREAM_RATE_LIMITED", new JsonObject(capped.body()).getString("error_code"));
            long cappedAfter =
                    Long.parseLong(capped.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(cappedAfter > 50 && cappedAfter <= 60, "Retry-After " + cappedAfter);
            assertEquals(1, main.getAllServeEvents().size());

            // Counted where it happened, and audited with the step that turned the request away.
            assertTrue(
                    metrics(a).contains("gateway_provider_holds_total{event=\"set\",merchant=\"main-shop\"} 2.0"),
                    metrics(a));
            assertTrue(
                    metrics(b).contains("gateway_provider_holds_total{event=\"rejected\",merchant=\"main-shop\"}"),
                    metrics(b));
            assertTrue(b.terminate(Duration.ofSeconds(30)) >= 0, "stopped, its audit trail flushed");
            JsonObject record = auditRecord(dir.resolve("b").resolve("audit.log"), "hold-at-b");
            assertEquals("provider-hold", record.getString("rejected_by"), record.encode());
            assertEquals(429, record.getInteger("status"));
        } finally {
            main.stop();
            other.stop();
        }
    }

    private HttpResponse<String> read(PackagedGateway gateway, String merchant, String correlationId)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder()
                .uri(URI.create(gateway.baseUrl() + "/customer-token/v1/tokens/kct-hold-1"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + Tokens.forCaller("orders-team"))
                .header("X-Merchant-Id", merchant)
                .header("X-Correlation-Id", correlationId)
                .GET()
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String metrics(PackagedGateway gateway) throws IOException, InterruptedException {
        return client.send(
                        HttpRequest.newBuilder(URI.create(gateway.managementUrl() + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okJson() {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"ACTIVE\",\"payment_method_type\":\"INVOICE\"}");
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder tooMany(String retryAfter) {
        return aResponse()
                .withStatus(429)
                .withHeader("Content-Type", "application/json")
                .withHeader("Retry-After", retryAfter)
                .withBody(PROVIDER_429);
    }

    private static JsonObject auditRecord(Path file, String correlationId) throws IOException {
        for (String line : Files.readAllLines(file)) {
            JsonObject record = new JsonObject(line);
            if (correlationId.equals(record.getString("correlation_id"))) {
                return record;
            }
        }
        throw new AssertionError("no audit record of " + correlationId + " in " + file);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }
}
