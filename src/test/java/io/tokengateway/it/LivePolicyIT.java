package io.tokengateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.tokengateway.testing.PackagedGateway;
import io.vertx.core.json.JsonObject;

/**
 * DESIGN.md 9a, tried from outside on the packaged gateway: its policy a file in a directory laid out like a
 * ConfigMap volume (the kubelet's {@code ..data} symlink swap), the merchant's password in one laid out like a
 * Secret volume, the default check interval. Each change is served (or refused) within 5 s, by the same process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LivePolicyIT {

    private static final Duration PROMISED = Duration.ofSeconds(5);
    private static final String FIRST_PASSWORD = "first-pw-Zq7-live";
    private static final String SECOND_PASSWORD = "second-pw-Zq7-live";

    private LivePolicyGateway live;
    private String base;
    private int calls;

    @BeforeAll
    void start() throws Exception {
        live = new LivePolicyGateway(
                "live-policy", "", Map.of(LivePolicyGateway.PASSWORD_KEY, FIRST_PASSWORD + "\n"), Map.of());
    }

    @AfterAll
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    /** Every test starts from the base policy, in force. */
    @BeforeEach
    void basePolicy() throws Exception {
        base = live.policyText(LivePolicyGateway.PASSWORD_KEY);
        apply(base);
    }

    private Duration apply(String policy) throws Exception {
        String version = LivePolicyGateway.version(policy);
        live.policy.update(Map.of(LivePolicyGateway.POLICY_KEY, policy));
        return LivePolicyGateway.awaitTrue(PROMISED, "policy " + version + " in force", () -> live.metrics()
                .contains("gateway_policy_info{version=\"" + version + "\"} 1.0"));
    }

    private int read(String caller) throws Exception {
        return live.read(caller, "live-" + caller + "-" + (++calls)).statusCode();
    }

    @Test
    void aCallerAddedIsServedAndARemovedOneRefusedWithinFiveSeconds() throws Exception {
        assertEquals(403, read("new-team"), "not in the policy yet");

        String withNewTeam = live.policyText(
                LivePolicyGateway.PASSWORD_KEY,
                "gateway.callers.new-team.merchants=main-shop",
                "gateway.callers.new-team.operations=read-token");
        live.policy.update(Map.of(LivePolicyGateway.POLICY_KEY, withNewTeam));
        Duration served = LivePolicyGateway.awaitTrue(PROMISED, "new-team served", () -> read("new-team") == 200);

        live.policy.update(Map.of(LivePolicyGateway.POLICY_KEY, base));
        Duration refused = LivePolicyGateway.awaitTrue(PROMISED, "new-team refused", () -> read("new-team") == 403);
        assertEquals(200, read("orders-team"), "the team that stayed is served throughout");
        System.out.printf(
                "caller added: served after %d ms; removed: refused after %d ms%n",
                served.toMillis(), refused.toMillis());

        List<JsonObject> changes = live.auditRecords("policy");
        assertTrue(
                changes.stream()
                        .anyMatch(change -> "applied".equals(change.getString("result"))
                                && LivePolicyGateway.version(withNewTeam).equals(change.getString("version"))
                                && change.getJsonObject("callers")
                                        .getJsonArray("added")
                                        .contains("new-team")),
                changes.toString());
        assertTrue(
                changes.stream()
                        .anyMatch(change -> "applied".equals(change.getString("result"))
                                && LivePolicyGateway.version(base).equals(change.getString("version"))
                                && change.getJsonObject("callers")
                                        .getJsonArray("removed")
                                        .contains("new-team")),
                changes.toString());
        // Each request's record names the policy that decided it.
        List<JsonObject> requests = live.auditRecords("request");
        JsonObject last = requests.get(requests.size() - 1);
        assertEquals(LivePolicyGateway.version(base), last.getString("policy_version"), last.encode());
    }

    @Test
    void aLoweredRateLimitIsEnforcedWithinFiveSeconds() throws Exception {
        // A merchant of its own: the bucket's state in Redis is kept across the change, so main-shop stays untouched.
        String[] slowShop = {
            "gateway.merchants.slow-shop.base-url=" + live.provider.baseUrl(),
            "gateway.merchants.slow-shop.username=" + LivePolicyGateway.USERNAME,
            "gateway.merchants.slow-shop.password-file=" + live.secrets.path(LivePolicyGateway.PASSWORD_KEY),
            "gateway.callers.slow-team.merchants=slow-shop",
            "gateway.callers.slow-team.operations=read-token"
        };
        apply(live.policyText(LivePolicyGateway.PASSWORD_KEY, slowShop));
        for (int i = 0; i < 5; i++) {
            assertEquals(200, live.read("slow-team", "slow-shop", "slow-" + i).statusCode(), "180/s, burst 50");
        }
        String[] lowered = java.util.Arrays.copyOf(slowShop, slowShop.length + 2);
        lowered[slowShop.length] = "gateway.merchants.slow-shop.rate-limit.per-second=0.2";
        lowered[slowShop.length + 1] = "gateway.merchants.slow-shop.rate-limit.burst=1";
        live.policy.update(
                Map.of(LivePolicyGateway.POLICY_KEY, live.policyText(LivePolicyGateway.PASSWORD_KEY, lowered)));
        Duration enforced = LivePolicyGateway.awaitTrue(
                PROMISED,
                "429 RATE_LIMITED at one call per 5 s",
                () -> live.read("slow-team", "slow-shop", "slow-" + (++calls)).statusCode() == 429);
        assertEquals(200, read("orders-team"), "another merchant's budget is its own");
        System.out.printf("rate limit lowered: enforced after %d ms%n", enforced.toMillis());
    }

    @Test
    void aRotatedPasswordFileReachesTheProviderWithinFiveSeconds() throws Exception {
        assertEquals(200, read("orders-team"));
        live.secrets.update(Map.of(LivePolicyGateway.PASSWORD_KEY, SECOND_PASSWORD + "\n"));
        try {
            Duration rotated = LivePolicyGateway.awaitTrue(PROMISED, "the provider receives the new password", () -> {
                HttpResponse<String> answer = live.read("orders-team", "rotation-" + (++calls));
                String answerId =
                        answer.headers().firstValue("Klarna-Correlation-Id").orElse("");
                return LivePolicyGateway.basic(SECOND_PASSWORD)
                        .equals(live.provider.authorizationByAnswer().get(answerId));
            });
            System.out.printf("password rotated: at the provider after %d ms%n", rotated.toMillis());
            assertTrue(live.auditRecords("policy").stream()
                    .anyMatch(change -> "applied".equals(change.getString("result"))
                            && change.getJsonObject("merchants")
                                    .getJsonArray("changed")
                                    .contains("main-shop")));
        } finally {
            live.secrets.update(Map.of(LivePolicyGateway.PASSWORD_KEY, FIRST_PASSWORD + "\n"));
        }
        String output = live.gateway.output()
                + String.join("\n", live.auditRecords("policy").toString());
        for (String password : List.of(FIRST_PASSWORD, SECOND_PASSWORD)) {
            assertFalse(output.contains(password), "a password in the output");
            assertFalse(output.contains(LivePolicyGateway.basic(password).substring(6)), "a Basic credential");
        }
    }

    /**
     * Onboarding a merchant: the kubelet updates the ConfigMap and the Secret volume independently, so the policy
     * naming the new merchant's password file may arrive before the file does. That policy is refused (its file is
     * missing); once the Secret arrives it must be applied, without another change of the policy file.
     */
    @Test
    void aPolicyRefusedForAPasswordFileNotYetMountedIsAppliedOnceTheFileArrives() throws Exception {
        String late = "late-shop-password";
        String withLateShop = live.policyText(
                LivePolicyGateway.PASSWORD_KEY,
                "gateway.merchants.late-shop.base-url=" + live.provider.baseUrl(),
                "gateway.merchants.late-shop.username=" + LivePolicyGateway.USERNAME,
                "gateway.merchants.late-shop.password-file=" + live.secrets.path(late),
                "gateway.callers.late-team.merchants=late-shop",
                "gateway.callers.late-team.operations=read-token");
        double rejected = live.sample("gateway_policy_reloads_total{result=\"rejected\"}");
        live.policy.update(Map.of(LivePolicyGateway.POLICY_KEY, withLateShop));
        LivePolicyGateway.awaitTrue(
                PROMISED,
                "the policy refused while its password file is missing",
                () -> live.sample("gateway_policy_reloads_total{result=\"rejected\"}") > rejected);

        live.secrets.update(Map.of(LivePolicyGateway.PASSWORD_KEY, FIRST_PASSWORD + "\n", late, "late-pw-Zq7\n"));
        Duration applied = LivePolicyGateway.awaitTrue(
                PROMISED, "the policy applied once the Secret holds the file", () -> live.metrics()
                        .contains("gateway_policy_info{version=\"" + LivePolicyGateway.version(withLateShop)
                                + "\"} 1.0"));
        assertEquals(
                200, live.read("late-team", "late-shop", "late-" + (++calls)).statusCode());
        System.out.printf("password file mounted after its policy: applied after %d ms%n", applied.toMillis());
    }

    @Test
    void aPolicyWithAnUnknownOperationIsRefusedWholeAndThePreviousOneServes() throws Exception {
        assertRefused(
                live.policyText(
                        LivePolicyGateway.PASSWORD_KEY,
                        "gateway.callers.new-team.merchants=main-shop",
                        "gateway.callers.new-team.operations=read-token,refund-order"),
                "gateway.callers.new-team.operations");
    }

    @Test
    void aMerchantWithoutBaseUrlIsRefusedWholeAndThePreviousOneServes() throws Exception {
        assertRefused(
                live.policyText(
                        LivePolicyGateway.PASSWORD_KEY,
                        "gateway.callers.new-team.merchants=main-shop,other-shop",
                        "gateway.callers.new-team.operations=read-token",
                        "gateway.merchants.other-shop.username=other",
                        "gateway.merchants.other-shop.password-file="
                                + live.secrets.path(LivePolicyGateway.PASSWORD_KEY)),
                "gateway.merchants.other-shop.base-url");
    }

    @Test
    void aPolicyWithASyntaxErrorIsRefusedWholeAndThePreviousOneServes() throws Exception {
        assertRefused(
                live.policyText(
                        LivePolicyGateway.PASSWORD_KEY,
                        "gateway.callers.new-team.merchants=main-shop",
                        "gateway.callers.new-team.operations=read-token\\u00G1"),
                "gateway.policy.file");
    }

    /**
     * The whole policy refused within 5 s: an ERROR naming the property, counted, audited; the caller it would have
     * added is still refused, the one already there still served, readiness untouched, the version unchanged.
     */
    private void assertRefused(String policy, String property) throws Exception {
        double before = live.sample("gateway_policy_reloads_total{result=\"rejected\"}");
        int logged = live.gateway.output().split("Policy change refused", -1).length;
        live.policy.update(Map.of(LivePolicyGateway.POLICY_KEY, policy));
        LivePolicyGateway.awaitTrue(
                PROMISED,
                "the change refused",
                () -> live.sample("gateway_policy_reloads_total{result=\"rejected\"}") > before);
        String refusal = live.gateway
                .output()
                .lines()
                .filter(line -> line.contains("Policy change refused"))
                .skip(logged - 1)
                .findFirst()
                .orElseThrow();
        assertTrue(refusal.contains("ERROR"), refusal);
        assertTrue(refusal.contains(property), refusal);
        assertTrue(refusal.contains(LivePolicyGateway.version(base)), "names the version kept: " + refusal);
        assertEquals(403, read("new-team"), "nothing of the refused policy applies");
        assertEquals(200, read("orders-team"), "the previous policy still serves");
        assertEquals(200, live.readiness());
        assertTrue(live.metrics().contains("gateway_policy_info{version=\"" + LivePolicyGateway.version(base) + "\"}"));
        List<JsonObject> changes = live.auditRecords("policy");
        JsonObject lastChange = changes.get(changes.size() - 1);
        assertEquals("rejected", lastChange.getString("result"), lastChange.encode());
        assertEquals(LivePolicyGateway.version(base), lastChange.getString("previous_version"));
        assertTrue(lastChange.getJsonArray("problems").encode().contains(property), lastChange.encode());
    }

    @Test
    void callersOrMerchantsOutsideThePolicyFileStopTheStart() {
        PackagedGateway.Verdict verdict = PackagedGateway.startRefused(
                "live-policy-refused",
                Map.of(
                        "gateway.policy.file",
                                live.policy.path(LivePolicyGateway.POLICY_KEY).toString(),
                        "gateway.callers.stray-team.merchants", "main-shop",
                        "gateway.callers.stray-team.operations", "read-token"),
                Duration.ofSeconds(60));
        assertNotEquals(0, verdict.exitCode(), verdict.output());
        assertTrue(verdict.output().contains("gateway.callers.stray-team.merchants"), verdict.output());
    }
}
