package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import io.tokengateway.testing.CountingProvider;
import io.vertx.core.json.JsonObject;

/**
 * Requests in flight across policy swaps, under load: 16 callers without pause against a provider that takes 20 ms,
 * while the policy changes every 100 ms, each version naming another password file (so each needs a provider client
 * of its own). Every request is decided by exactly one version, the one its audit record names: the credentials the
 * provider received are that version's. None fails because of a swap. No client and no connection is left behind:
 * once the swaps stop, one client remains and the connections to the provider are no more than one client's.
 */
class PolicySwapUnderLoadIT {

    private static final int VERSIONS = 50;
    private static final int CALLERS = 16;

    @Test
    void everyRequestRunsUnderTheOneVersionItsRecordNamesAndNoClientOutlivesItsPolicy() throws Exception {
        Map<String, String> passwords = new HashMap<>();
        for (int i = 0; i < VERSIONS; i++) {
            passwords.put("pw-" + i, "swap-pw-" + i + "-Zq7\n");
        }
        try (LivePolicyGateway live = new LivePolicyGateway("policy-swaps", "", passwords, Map.of())) {
            Map<String, String> credentialByVersion = new HashMap<>();
            List<String> policies = new ArrayList<>();
            for (int i = 0; i < VERSIONS; i++) {
                String policy = live.policyText(
                        "pw-" + i,
                        "gateway.merchants.main-shop.rate-limit.per-second=100000",
                        "gateway.merchants.main-shop.rate-limit.burst=100000");
                policies.add(policy);
                credentialByVersion.put(
                        LivePolicyGateway.version(policy), LivePolicyGateway.basic("swap-pw-" + i + "-Zq7"));
            }
            live.policy.update(Map.of(LivePolicyGateway.POLICY_KEY, policies.get(0)));
            String first = LivePolicyGateway.version(policies.get(0));
            LivePolicyGateway.awaitTrue(Duration.ofSeconds(5), "the first policy in force", () -> live.metrics()
                    .contains("gateway_policy_info{version=\"" + first + "\"} 1.0"));
            int port = Integer.parseInt(
                    live.provider.baseUrl().substring(live.provider.baseUrl().lastIndexOf(':') + 1));
            assertEquals(200, live.read("orders-team", "warm").statusCode());
            int before = establishedTo(port);
            live.provider.slowMillis(20);
            live.provider.mode(CountingProvider.Mode.SLOW);

            AtomicBoolean swapping = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                load.add(callers.submit(() -> {
                    while (swapping.get()) {
                        HttpResponse<String> answer = live.read("orders-team", "swap-" + sent.incrementAndGet());
                        statuses.merge(answer.statusCode(), 1, Integer::sum);
                    }
                    return null;
                }));
            }
            for (int i = 1; i < VERSIONS; i++) {
                live.policy.update(Map.of(LivePolicyGateway.POLICY_KEY, policies.get(i)));
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // the load pattern: a swap every 100 ms
            }
            String last = LivePolicyGateway.version(policies.get(VERSIONS - 1));
            LivePolicyGateway.awaitTrue(Duration.ofSeconds(5), "the last policy in force", () -> live.metrics()
                    .contains("gateway_policy_info{version=\"" + last + "\"} 1.0"));
            swapping.set(false);
            for (Future<?> caller : load) {
                caller.get();
            }
            callers.shutdown();

            assertEquals(Map.of(200, sent.get()), statuses, "no request failed because of a swap");
            double applied = live.sample("gateway_policy_reloads_total{result=\"applied\"}");
            assertTrue(applied >= 10, "swaps applied while the load ran: " + applied);

            // Every request reached the provider with the credentials of the version its record names.
            Map<String, String> received = live.provider.authorizationByAnswer();
            Set<String> versionsServing = new HashSet<>();
            int checked = 0;
            for (JsonObject record : live.auditRecords("request")) {
                String correlationId = record.getString("correlation_id", "");
                if (!correlationId.startsWith("swap-")) {
                    continue;
                }
                String version = record.getString("policy_version");
                String answerId = record.getString("klarna_correlation_id");
                assertEquals(
                        credentialByVersion.get(version),
                        received.get(answerId),
                        () -> "request " + correlationId + " ran under " + version + " but reached the provider with"
                                + " other credentials");
                versionsServing.add(version);
                checked++;
            }
            assertEquals(sent.get(), checked, "one audit record per request");
            assertTrue(versionsServing.size() >= 10, "requests ran under many versions: " + versionsServing.size());

            // Once the replaced policies drained, their clients are closed, and with them their connections.
            LivePolicyGateway.awaitTrue(
                    Duration.ofSeconds(10),
                    "one provider client left",
                    () -> live.sample("gateway_upstream_clients") == 1.0);
            LivePolicyGateway.awaitTrue(
                    Duration.ofSeconds(10),
                    "no more connections to the provider than one client's callers",
                    () -> establishedTo(port) <= CALLERS);
            System.out.printf(
                    "%d requests under %d versions, %.0f swaps applied; connections to the provider: %d before, %d"
                            + " after%n",
                    sent.get(), versionsServing.size(), applied, before, establishedTo(port));
        }
    }

    /** Established TCP connections whose remote end is {@code port} on this host: the gateway's to the provider. */
    private static int establishedTo(int port) throws IOException {
        int count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 3 && fields[2].contains(":") && "01".equals(fields[3])) {
                    String remotePort = fields[2].substring(fields[2].indexOf(':') + 1);
                    if (Integer.parseInt(remotePort, 16) == port) {
                        count++;
                    }
                }
            }
        }
        return count;
    }
}
