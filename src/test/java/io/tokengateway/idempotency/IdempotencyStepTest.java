package io.tokengateway.idempotency;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;
import static io.tokengateway.flow.testkit.StepAssertions.responseOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.Operation;
import io.tokengateway.flow.UpstreamOutcome;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.tokengateway.flow.testkit.TestConfig;
import io.tokengateway.redis.RedisFaultException;
import io.tokengateway.redis.RedisUnavailableException;
import io.vertx.core.buffer.Buffer;

class IdempotencyStepTest {

    static final String BODY = "{\"order_amount\":1}";

    /** The store, answering claims as the test says and recording how each claim was settled. */
    static final class FakeStore extends IdempotencyStore {
        Supplier<Uni<ClaimResult>> claims = () -> Uni.createFrom().nullItem();
        final List<String> settled = new ArrayList<>();

        FakeStore() {
            super(null);
        }

        @Override
        public Uni<ClaimResult> claim(String recordKey, IdempotencyRecord pending, Duration lease) {
            return claims.get()
                    .map(result -> result != null
                            ? result
                            : new ClaimResult.Claimed(new IdempotencyClaim(recordKey, pending)));
        }

        @Override
        public Uni<Boolean> complete(IdempotencyClaim claim, GatewayResponse answer, Duration retention) {
            settled.add("stored " + answer.status());
            return Uni.createFrom().item(true);
        }

        @Override
        public Uni<Boolean> release(IdempotencyClaim claim) {
            settled.add("released");
            return Uni.createFrom().item(true);
        }
    }

    private final FakeStore store = new FakeStore();

    private IdempotencyStep step(String onRedisFailure) {
        return new IdempotencyStep(
                store,
                new IdempotencyMetrics(new SimpleMeterRegistry()),
                TestConfig.gateway(Map.of("idempotency.on-redis-failure", onRedisFailure)));
    }

    private static Exchange order(String token) {
        return ExchangeBuilder.createOrder(BODY)
                .token(token)
                .idempotencyKey("k1")
                .caller("orders-team")
                .merchant(ExchangeBuilder.merchant("main-shop"))
                .build();
    }

    private static IdempotencyRecord held(String token, GatewayResponse answer) {
        IdempotencyRecord pending = IdempotencyRecord.pending(
                "other-owner",
                "orders-team",
                Operation.CREATE_ORDER,
                order(token).request().fingerprint());
        return answer == null ? pending : pending.finished(answer);
    }

    private void holder(IdempotencyRecord record) {
        store.claims = () -> Uni.createFrom().item(new IdempotencyStore.ClaimResult.Held(record));
    }

    @Test
    void aFreeKeyIsClaimedAndTheRequestContinues() {
        Exchange exchange = order("token-a");
        assertThat(step("closed").onRequest(exchange)).continues();
        assertTrue(exchange.fact(IdempotencyClaim.FACT).isPresent());
    }

    @Test
    void theSameRequestAnsweredIsReplayed() {
        GatewayResponse stored =
                new GatewayResponse(200, Map.of("Klarna-Correlation-Id", "c1"), Buffer.buffer("{\"order_id\":\"o1\"}"));
        holder(held("token-a", stored));
        Exchange exchange = order("token-a");
        GatewayResponse replay = assertThat(step("closed").onRequest(exchange)).answers();
        assertEquals("true", replay.headers().get("Idempotent-Replayed"));
        assertEquals("{\"order_id\":\"o1\"}", replay.body().toString());
        assertTrue(exchange.replayed());
    }

    @Test
    void theSameRequestInFlightIs409() {
        holder(held("token-a", null));
        assertEquals(
                "1",
                assertThat(step("closed").onRequest(order("token-a")))
                        .rejectsWith(GatewayError.IDEMPOTENCY_KEY_IN_USE)
                        .headers()
                        .get("Retry-After"));
    }

    @Test
    void theSameKeyForAnotherCustomerTokenIs422InFlightOrAnswered() {
        holder(held("token-a", null));
        assertThat(step("closed").onRequest(order("token-b"))).rejectsWith(GatewayError.IDEMPOTENCY_KEY_REUSED);
        holder(held("token-a", new GatewayResponse(202, Map.of(), Buffer.buffer())));
        assertThat(step("closed").onRequest(order("token-b"))).rejectsWith(GatewayError.IDEMPOTENCY_KEY_REUSED);
    }

    @Test
    void aLegacyRecordIsNeverReplayed() {
        IdempotencyRecord legacy = new IdempotencyRecord(
                "old",
                "orders-team",
                Operation.CREATE_ORDER,
                "body-only-hash",
                1,
                new GatewayResponse(200, Map.of(), Buffer.buffer("{\"order_id\":\"someone-elses\"}")));
        holder(legacy);
        assertThat(step("closed").onRequest(order("token-a"))).rejectsWith(GatewayError.IDEMPOTENCY_KEY_REUSED);
        holder(new IdempotencyRecord("old", "orders-team", Operation.CREATE_ORDER, "body-only-hash", 1, null));
        assertThat(step("closed").onRequest(order("token-a"))).rejectsWith(GatewayError.IDEMPOTENCY_KEY_IN_USE);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "ANSWERED, 200, stored 200",
        "ANSWERED, 404, stored 404",
        "ANSWERED, 422, stored 422",
        "ANSWERED, 500, released",
        "ANSWERED, 503, released",
        "ANSWERED, 408, released",
        "ANSWERED, 409, released",
        "ANSWERED, 425, released",
        "ANSWERED, 429, released",
        "ANSWERED, 401, released",
        "NOT_SENT, 0, released",
        "UNKNOWN, 0, released",
    })
    void theClaimIsStoredOnlyForADefiniteOutcome(UpstreamOutcome.Kind kind, int status, String settlement) {
        IdempotencyStep step = step("closed");
        Exchange exchange = order("token-a");
        assertThat(step.onRequest(exchange)).continues();
        exchange.upstreamOutcome(new UpstreamOutcome(kind, status, false), 1);
        responseOf(
                step.onResponse(exchange, new GatewayResponse(status == 0 ? 504 : status, Map.of(), Buffer.buffer())));
        assertEquals(List.of(settlement), store.settled);
    }

    @Test
    void aRequestThatNeverReachedTheProviderReleasesItsClaim() {
        IdempotencyStep step = step("closed");
        Exchange exchange = order("token-a");
        assertThat(step.onRequest(exchange)).continues();
        responseOf(step.onResponse(exchange, new GatewayResponse(403, Map.of(), Buffer.buffer())));
        assertEquals(List.of("released"), store.settled);
    }

    @Test
    void anUnavailableRedisFailsClosedOrOpenAsConfigured() {
        store.claims = () -> Uni.createFrom().failure(new RedisUnavailableException(new java.net.ConnectException()));
        assertThat(step("closed").onRequest(order("token-a"))).rejectsWith(GatewayError.DEPENDENCY_UNAVAILABLE);
        assertThat(step("open").onRequest(order("token-a"))).continues();
    }

    @Test
    void aRedisFaultIs500EvenWhenTheStoreMayFailOpen() {
        store.claims = () -> Uni.createFrom().failure(new RedisFaultException("claim.lua", "WRONGTYPE"));
        assertThat(step("open").onRequest(order("token-a"))).rejectsWith(GatewayError.INTERNAL_ERROR);
    }

    @Test
    void readsAreNeverClaimed() {
        assertThat(step("closed")
                        .onRequest(ExchangeBuilder.readToken()
                                .idempotencyKey("k1")
                                .caller("orders-team")
                                .merchant(ExchangeBuilder.merchant("main-shop"))
                                .build()))
                .continues();
    }
}
