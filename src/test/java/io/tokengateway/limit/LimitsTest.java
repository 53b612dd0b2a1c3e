package io.tokengateway.limit;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tokengateway.redis.RedisScripts;
import io.tokengateway.redis.TestRounds;
import io.tokengateway.sandbox.SandboxFault;
import io.tokengateway.sandbox.SandboxServer;
import io.tokengateway.testing.Calls;
import io.tokengateway.testing.InjectRedisServer;
import io.tokengateway.testing.LogCapture;
import io.tokengateway.testing.Metrics;
import io.tokengateway.testing.RedisServer;
import io.tokengateway.testing.Upstream;

@QuarkusTest
class LimitsTest {

    @Inject
    SandboxServer sandbox;

    @Inject
    RedisDataSource redisData;

    @Inject
    RedisScripts scripts;

    @Inject
    io.tokengateway.policy.LivePolicy policy;

    @InjectRedisServer
    RedisServer redis;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @BeforeEach
    void freshBudgets() {
        sandbox.reset();
        redisData
                .key()
                .del(
                        "tg:rate:{rate-limited-shop}",
                        "tg:rate:{shadow-shop}",
                        "tg:amount:{amount-limited-shop}:EUR",
                        "tg:amount:{amount-limited-shop}:SEK",
                        "tg:amount:{shadow-shop}:SEK",
                        // a provider 429 in one test holds its merchant (every replica) for the next ones
                        "tg:hold:{rate-limited-shop}",
                        "tg:hold:{amount-limited-shop}",
                        "tg:hold:{shadow-shop}");
    }

    static Response read(String merchant) {
        return Calls.as("limits-team", merchant).when().get(Calls.READ_TOKEN, "kct-limits-1");
    }

    static Response order(String merchant, String currency, long amount, String key) {
        return order(merchant, currency, amount, key, "kct-limits-1");
    }

    static Response order(String merchant, String currency, long amount, String key, String token) {
        String body = "{\"purchase_currency\":\"" + currency + "\",\"order_amount\":" + amount
                + ",\"order_tax_amount\":0," + "\"order_lines\":[{\"name\":\"Item\",\"quantity\":1,\"unit_price\":"
                + amount + ",\"total_amount\":" + amount + "}]}";
        return Calls.as("limits-team", merchant)
                .header("Klarna-Idempotency-Key", key)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(Calls.CREATE_ORDER, token);
    }

    @Test
    void theBurstPassesThenTheMerchantIsLimitedWithRetryAfterAndRateLimitHeaders() {
        for (int remaining = 2; remaining >= 0; remaining--) {
            read("rate-limited-shop")
                    .then()
                    .statusCode(200)
                    .header("RateLimit-Policy", is("\"merchant\";q=1;w=5;burst=3"))
                    .header("RateLimit", matchesPattern("\"merchant\";r=" + remaining + ";t=\\d+"));
        }
        read("rate-limited-shop")
                .then()
                .statusCode(429)
                .body("error_code", is("RATE_LIMITED"))
                .header("Retry-After", is("5"))
                .header("RateLimit-Policy", is("\"merchant\";q=1;w=5;burst=3"))
                .header("RateLimit", is("\"merchant\";r=0;t=15"));
        assertEquals(3, sandbox.received().size());
    }

    @Test
    void twoLimiterInstancesOnOneRedisShareOneBudget() {
        // Two replicas of the limiter, as two gateway instances would have, hammering the same merchant.
        RedisRateLimiter replicaA = new RedisRateLimiter();
        RedisRateLimiter replicaB = new RedisRateLimiter();
        LimitPolicy policy = new LimitPolicy(
                20, 5, java.util.Set.of(), java.util.OptionalLong.empty(), java.util.OptionalLong.empty(), false);
        String merchant = "shared-" + UUID.randomUUID();
        AtomicInteger allowed = new AtomicInteger();
        long start = System.nanoTime();
        Duration run = Duration.ofMillis(1500);
        CompletableFuture<?>[] replicas = new CompletableFuture<?>[2];
        RedisRateLimiter[] limiters = {replicaA, replicaB};
        for (int r = 0; r < 2; r++) {
            RedisRateLimiter limiter = limiters[r];
            replicas[r] = CompletableFuture.runAsync(() -> {
                while (System.nanoTime() - start < run.toNanos()) {
                    if (TestRounds.run(scripts, limiter.check(merchant, policy))
                                    .get(0)
                                    .get(0)
                                    .toInteger()
                            == 1) {
                        allowed.incrementAndGet();
                    }
                }
            });
        }
        CompletableFuture.allOf(replicas).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        double ceiling = 5 + 20 * seconds + 1;
        assertTrue(allowed.get() <= ceiling, () -> allowed.get() + " allowed in " + seconds + " s, ceiling " + ceiling);
        assertTrue(
                allowed.get() >= 20 * seconds * 0.8, () -> "only " + allowed.get() + " allowed in " + seconds + " s");
    }

    @Test
    void whenRedisIsDownTheLocalLimiterStillHoldsEachReplicaToTheBudget() {
        redis.stop();
        try {
            int ok = 0;
            int limited = 0;
            for (int i = 0; i < 6; i++) {
                int status = read("rate-limited-shop").statusCode();
                ok += status == 200 ? 1 : 0;
                limited += status == 429 ? 1 : 0;
            }
            assertEquals(3, ok, "the local limiter's burst");
            assertEquals(6, ok + limited);
        } finally {
            redis.start();
        }
    }

    @Test
    void aCurrencyOutsideThePolicyIsRefused() {
        order("amount-limited-shop", "USD", 1000, UUID.randomUUID().toString())
                .then()
                .statusCode(403)
                .body("error_code", is("CURRENCY_NOT_ALLOWED"))
                .body(
                        "error_messages[0]",
                        is("Merchant 'amount-limited-shop' may not order in USD; allowed: EUR, SEK."));
        order("amount-limited-shop", "sek", 1000, UUID.randomUUID().toString())
                .then()
                .statusCode(200);
        assertEquals(1, sandbox.received().size());
    }

    @Test
    void anOrderAboveThePerOrderMaximumIsRefused() {
        order("amount-limited-shop", "EUR", 500_001, UUID.randomUUID().toString())
                .then()
                .statusCode(403)
                .body("error_code", is("AMOUNT_LIMIT_EXCEEDED"))
                .body(
                        "error_messages[0]",
                        is("order_amount 500001 is above the merchant's per-order maximum of 500000."));
        order("amount-limited-shop", "EUR", 500_000, UUID.randomUUID().toString())
                .then()
                .statusCode(200);
        assertEquals(1, sandbox.received().size());
    }

    @Test
    void theDailyTotalIsReservedAndAnOrderOverItIsRefused() {
        order("amount-limited-shop", "EUR", 400_000, UUID.randomUUID().toString())
                .then()
                .statusCode(200);
        order("amount-limited-shop", "EUR", 400_000, UUID.randomUUID().toString())
                .then()
                .statusCode(200);
        order("amount-limited-shop", "EUR", 400_000, UUID.randomUUID().toString())
                .then()
                .statusCode(403)
                .body("error_code", is("AMOUNT_LIMIT_EXCEEDED"))
                .body("error_messages[0]", containsString("to 1200000, above its daily limit of 1000000"));
        // Per currency: SEK has its own total.
        order("amount-limited-shop", "SEK", 400_000, UUID.randomUUID().toString())
                .then()
                .statusCode(200);
        assertEquals(3, sandbox.received().size());
    }

    @Test
    void aReservationIsRefundedWhenTheProviderDefinitelyDidNotCreateTheOrder() {
        order("amount-limited-shop", "EUR", 450_000, UUID.randomUUID().toString(), "unknown-token")
                .then()
                .statusCode(404);
        sandbox.enqueue(SandboxFault.status(429), 1);
        order("amount-limited-shop", "EUR", 450_000, UUID.randomUUID().toString())
                .then()
                .statusCode(429);
        // That 429 holds the merchant for the provider's Retry-After (ProviderHoldStepTest); the refund is under test.
        redisData.key().del("tg:hold:{amount-limited-shop}");
        // Neither counted: two more orders of 450 000 still fit under 1 000 000.
        order("amount-limited-shop", "EUR", 450_000, UUID.randomUUID().toString())
                .then()
                .statusCode(200);
        order("amount-limited-shop", "EUR", 450_000, UUID.randomUUID().toString())
                .then()
                .statusCode(200);
    }

    @Test
    void aReservationIsKeptWhenTheOrderMayExist() {
        sandbox.enqueue(SandboxFault.closeConnection(), Upstream.ATTEMPTS);
        order("amount-limited-shop", "EUR", 450_000, UUID.randomUUID().toString())
                .then()
                .statusCode(502);
        order("amount-limited-shop", "EUR", 450_000, UUID.randomUUID().toString())
                .then()
                .statusCode(200);
        order("amount-limited-shop", "EUR", 450_000, UUID.randomUUID().toString())
                .then()
                .statusCode(403)
                .body("error_code", is("AMOUNT_LIMIT_EXCEEDED"));
    }

    @Test
    void aProvider5xxAfterADroppedAttemptKeepsTheAmountAndASameKeyRetryDoesNotReserveTwice() {
        String key = UUID.randomUUID().toString();
        sandbox.enqueue(SandboxFault.closeConnection(), 1);
        sandbox.enqueue(SandboxFault.status(503), Upstream.ATTEMPTS - 1);
        order("amount-limited-shop", "EUR", 450_000, key).then().statusCode(503);
        assertEquals(Upstream.ATTEMPTS, sandbox.received().size(), "the key made the dropped attempt safe to retry");
        // The provider may have placed it: the 450 000 stay reserved, and the same key's retry reuses them.
        order("amount-limited-shop", "EUR", 450_000, key).then().statusCode(200);
        order("amount-limited-shop", "EUR", 450_000, UUID.randomUUID().toString())
                .then()
                .statusCode(200);
        order("amount-limited-shop", "EUR", 450_000, UUID.randomUUID().toString())
                .then()
                .statusCode(403)
                .body("error_messages[0]", containsString("to 1350000, above its daily limit of 1000000"));
    }

    @Test
    void aKeysReservationIsNeverReusedForAnotherOrder() {
        String key = UUID.randomUUID().toString();
        sandbox.enqueue(SandboxFault.status(503), Upstream.ATTEMPTS);
        order("amount-limited-shop", "EUR", 450_000, key)
                .then()
                .statusCode(503); // EUR 450 000 kept: the order may exist
        // The same key, now for another order: it must be counted on its own, in its own currency.
        order("amount-limited-shop", "SEK", 450_000, key).then().statusCode(200);
        order("amount-limited-shop", "SEK", 450_000, UUID.randomUUID().toString())
                .then()
                .statusCode(200);
        order("amount-limited-shop", "SEK", 450_000, UUID.randomUUID().toString())
                .then()
                .statusCode(403)
                .body("error_messages[0]", containsString("in SEK to 1350000"));
    }

    @Test
    void replaysAreNotCountedTwiceNorRefusedByTheLimitTheyUsedUp() {
        String key = UUID.randomUUID().toString();
        order("amount-limited-shop", "EUR", 500_000, key).then().statusCode(200);
        order("amount-limited-shop", "EUR", 500_000, UUID.randomUUID().toString())
                .then()
                .statusCode(200);
        // The limit is used up, yet the first order's retries are replayed, not refused, and not counted.
        for (int i = 0; i < 3; i++) {
            order("amount-limited-shop", "EUR", 500_000, key)
                    .then()
                    .statusCode(200)
                    .header("Idempotent-Replayed", is("true"));
        }
        order("amount-limited-shop", "EUR", 1, UUID.randomUUID().toString())
                .then()
                .statusCode(403);
        assertEquals(2, sandbox.received().size());
        assertEquals(
                "1000000",
                String.valueOf(
                        redisData.hash(Long.class).hgetall("tg:amount:{amount-limited-shop}:EUR").values().stream()
                                .mapToLong(Long::longValue)
                                .sum()));
    }

    @Test
    void shadowModeEvaluatesCountsAndLogsButNeverEnforces() {
        try (LogCapture logs = LogCapture.open()) {
            for (int i = 0; i < 3; i++) {
                read("shadow-shop").then().statusCode(200);
            }
            // Wrong currency, above the per-order maximum, and then above the daily total: all forwarded.
            order("shadow-shop", "EUR", 2_500, UUID.randomUUID().toString())
                    .then()
                    .statusCode(200);
            order("shadow-shop", "EUR", 2_500, UUID.randomUUID().toString())
                    .then()
                    .statusCode(200);
            assertTrue(
                    logs.all()
                            .contains(
                                    "Shadow mode: merchant shadow-shop would have been rejected by rate-limit with RATE_LIMITED"));
            assertTrue(logs.all().contains("by order-limit with CURRENCY_NOT_ALLOWED"));
            assertTrue(logs.all().contains("by order-limit with AMOUNT_LIMIT_EXCEEDED"));
            assertTrue(logs.all().contains("by daily-amount with AMOUNT_LIMIT_EXCEEDED"));
        }
        assertEquals(5, sandbox.received().size());
        Metrics.assertSeries(metrics, "gateway_rate_limit_total{merchant=\"shadow-shop\",outcome=\"shadow_limited\"}");
        Metrics.assertSeries(
                metrics, "gateway_amount_limit_total{merchant=\"shadow-shop\",outcome=\"shadow_limited\"}");
    }

    @Test
    void limitMetricsArePublishedPerMerchant() {
        int attempts = 0;
        while (read("rate-limited-shop").statusCode() != 429) {
            assertTrue(++attempts < 10, "a budget of 3 never ran out");
        }
        Metrics.assertSeries(metrics, "gateway_rate_limit_total{merchant=\"rate-limited-shop\",outcome=\"allowed\"}");
        Metrics.assertSeries(metrics, "gateway_rate_limit_total{merchant=\"rate-limited-shop\",outcome=\"limited\"}");
        Metrics.assertSeries(metrics, "gateway_rate_limit_remaining{merchant=\"rate-limited-shop\"}");
    }

    @Test
    void merchantsWithoutAmountLimitsAreNotTouched() {
        read("rate-limited-shop").then().header("Idempotent-Replayed", nullValue());
        assertTrue(policy.current().limits().of("main-shop").dailyAmount().isEmpty());
        assertEquals(180.0, policy.current().limits().of("main-shop").perSecond());
        assertEquals(50, policy.current().limits().of("main-shop").burst());
    }

    @Test
    void aReplayCarriesTheBudgetAsItIsNowNotAsItWasWhenTheAnswerWasStored() {
        String key = UUID.randomUUID().toString();
        order("rate-limited-shop", "EUR", 1000, key)
                .then()
                .statusCode(200)
                .header("RateLimit", matchesPattern("\"merchant\";r=2;t=\\d+"));
        order("rate-limited-shop", "EUR", 1000, key)
                .then()
                .statusCode(200)
                .header("Idempotent-Replayed", is("true"))
                .header("RateLimit", matchesPattern("\"merchant\";r=1;t=\\d+"));
        assertEquals(1, sandbox.received().size());
    }

    @Test
    void aCreateOrderMakesOneRoundTripBeforeTheUpstreamCallAndOneAfter() {
        sandbox.reset();
        long before = scriptCalls();
        order("amount-limited-shop", "EUR", 1000, UUID.randomUUID().toString())
                .then()
                .statusCode(200);
        assertEquals(2, scriptCalls() - before, "rate limit, claim and reservation; then the stored answer");

        // Refused by the provider for good: the answer stored and the amount refunded, in one round trip.
        sandbox.enqueue(SandboxFault.status(400));
        before = scriptCalls();
        order("amount-limited-shop", "EUR", 1000, UUID.randomUUID().toString())
                .then()
                .statusCode(400);
        assertEquals(2, scriptCalls() - before, "one round trip before the upstream call, one after");
        long total = redisData.hash(String.class).hgetall("tg:amount:{amount-limited-shop}:EUR").values().stream()
                .mapToLong(Long::parseLong)
                .sum();
        assertEquals(1000, total, "the refused order's amount was given back in that one round trip");

        before = scriptCalls();
        read("amount-limited-shop").then().statusCode(200);
        assertEquals(1, scriptCalls() - before, "a read has nothing to settle");
    }

    /** How many scripts this Redis has run ({@code EVALSHA} and {@code EVAL}), whoever sent them. */
    private long scriptCalls() {
        String stats = redisData.execute("INFO", "commandstats").toString();
        long calls = 0;
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
                String field = line.substring(line.indexOf("calls=") + 6);
                calls += Long.parseLong(field.substring(0, field.indexOf(',')));
            }
        }
        return calls;
    }
}
