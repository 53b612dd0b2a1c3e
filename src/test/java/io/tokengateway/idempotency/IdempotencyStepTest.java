package io.tokengateway.idempotency;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.Operation;
import io.tokengateway.flow.ScriptCall;
import io.tokengateway.flow.StepResult;
import io.tokengateway.flow.UpstreamOutcome;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.tokengateway.flow.testkit.Rounds;
import io.tokengateway.flow.testkit.TestConfig;
import io.tokengateway.redis.RedisFaultException;
import io.tokengateway.redis.RedisUnavailableException;
import io.vertx.core.buffer.Buffer;

class IdempotencyStepTest {

    static final String BODY = "{\"order_amount\":1}";

    static final RecordSeal SEAL = RecordSeal.of(false, new byte[32]);

    private final IdempotencyStore store = new IdempotencyStore(SEAL);

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

    /** The step's claim as the admission round answered it. */
    private static Uni<StepResult> claimed(IdempotencyStep step, Exchange exchange, Object reply) {
        Rounds.replied(exchange, step, reply);
        return step.onRequest(exchange);
    }

    private static Uni<StepResult> heldBy(IdempotencyStep step, Exchange exchange, IdempotencyRecord record) {
        return claimed(
                step, exchange, List.of(0L, SEAL.seal(IdempotencyStore.recordKey("main-shop", "k1"), record.toJson())));
    }

    private static String settlement(IdempotencyStep step, Exchange exchange, int status) {
        return step.settlement(exchange, new GatewayResponse(status, Map.of(), Buffer.buffer()))
                .map(call -> call.part().name())
                .orElse("nothing");
    }

    @Test
    void aFreeKeyIsClaimedAndTheRequestContinues() {
        Exchange exchange = order("token-a");
        assertThat(claimed(step("closed"), exchange, List.of(1L))).continues();
        assertTrue(exchange.fact(IdempotencyClaim.FACT).isPresent());
    }

    @Test
    void theSameRequestAnsweredIsReplayed() {
        GatewayResponse stored =
                new GatewayResponse(200, Map.of("Klarna-Correlation-Id", "c1"), Buffer.buffer("{\"order_id\":\"o1\"}"));
        Exchange exchange = order("token-a");
        GatewayResponse replay = assertThat(heldBy(step("closed"), exchange, held("token-a", stored)))
                .answers();
        assertEquals("true", replay.headers().get("Idempotent-Replayed"));
        assertEquals("{\"order_id\":\"o1\"}", replay.body().toString());
        assertTrue(exchange.replayed());
    }

    @Test
    void theSameRequestInFlightIs409() {
        assertEquals(
                "1",
                assertThat(heldBy(step("closed"), order("token-a"), held("token-a", null)))
                        .rejectsWith(GatewayError.IDEMPOTENCY_KEY_IN_USE)
                        .headers()
                        .get("Retry-After"));
    }

    @Test
    void theSameKeyForAnotherCustomerTokenIs422InFlightOrAnswered() {
        assertThat(heldBy(step("closed"), order("token-b"), held("token-a", null)))
                .rejectsWith(GatewayError.IDEMPOTENCY_KEY_REUSED);
        assertThat(heldBy(
                        step("closed"),
                        order("token-b"),
                        held("token-a", new GatewayResponse(202, Map.of(), Buffer.buffer()))))
                .rejectsWith(GatewayError.IDEMPOTENCY_KEY_REUSED);
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
        assertThat(heldBy(step("closed"), order("token-a"), legacy)).rejectsWith(GatewayError.IDEMPOTENCY_KEY_REUSED);
        assertThat(heldBy(
                        step("closed"),
                        order("token-a"),
                        new IdempotencyRecord("old", "orders-team", Operation.CREATE_ORDER, "body-only-hash", 1, null)))
                .rejectsWith(GatewayError.IDEMPOTENCY_KEY_IN_USE);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "ANSWERED, 200, complete.lua",
        "ANSWERED, 404, complete.lua",
        "ANSWERED, 422, complete.lua",
        "ANSWERED, 500, release.lua",
        "ANSWERED, 503, release.lua",
        "ANSWERED, 408, release.lua",
        "ANSWERED, 409, release.lua",
        "ANSWERED, 425, release.lua",
        "ANSWERED, 429, release.lua",
        "ANSWERED, 401, release.lua",
        "NOT_SENT, 0, release.lua",
        "UNKNOWN, 0, release.lua",
    })
    void theClaimIsStoredOnlyForADefiniteOutcome(UpstreamOutcome.Kind kind, int status, String settlement) {
        IdempotencyStep step = step("closed");
        Exchange exchange = order("token-a");
        assertThat(claimed(step, exchange, List.of(1L))).continues();
        exchange.upstreamOutcome(new UpstreamOutcome(kind, status, false), 1);
        assertEquals(settlement, settlement(step, exchange, status == 0 ? 504 : status));
    }

    @Test
    void theStoredAnswerIsTheResponseOwnerChecked() {
        IdempotencyStep step = step("closed");
        Exchange exchange = order("token-a");
        assertThat(claimed(step, exchange, List.of(1L))).continues();
        exchange.upstreamOutcome(new UpstreamOutcome(UpstreamOutcome.Kind.ANSWERED, 200, false), 1);
        ScriptCall complete = step.settlement(
                        exchange, new GatewayResponse(200, Map.of(), Buffer.buffer("{\"order_id\":\"o1\"}")))
                .orElseThrow();
        IdempotencyClaim claim = exchange.fact(IdempotencyClaim.FACT).orElseThrow();
        assertEquals(List.of(claim.recordKey()), complete.keys());
        assertEquals(claim.record().owner(), complete.args().get(0));
        assertEquals(
                "{\"order_id\":\"o1\"}",
                IdempotencyRecord.fromJson(complete.args().get(1))
                        .response()
                        .body()
                        .toString());
    }

    @Test
    void aRequestThatNeverReachedTheProviderReleasesItsClaim() {
        IdempotencyStep step = step("closed");
        Exchange exchange = order("token-a");
        assertThat(claimed(step, exchange, List.of(1L))).continues();
        assertEquals("release.lua", settlement(step, exchange, 403));
    }

    @Test
    void aReplayedOrRefusedKeyIsNotOursToSettle() {
        IdempotencyStep step = step("closed");
        Exchange exchange = order("token-a");
        assertThat(heldBy(step, exchange, held("token-a", null))).rejectsWith(GatewayError.IDEMPOTENCY_KEY_IN_USE);
        assertEquals("nothing", settlement(step, exchange, 409));
    }

    @Test
    void aClaimTheRoundMadeForAStepThatNeverRanIsReleased() {
        // The rate limit (in shadow mode) let the round go on, then a step before this one refused.
        IdempotencyStep step = step("closed");
        Exchange exchange = order("token-a");
        Rounds.replied(exchange, step, List.of(1L));
        assertEquals("release.lua", settlement(step, exchange, 429));
    }

    @Test
    void aClaimNeverAskedForIsNotSettled() {
        IdempotencyStep step = step("closed");
        Exchange exchange = order("token-a");
        Rounds.replied(exchange, 0, List.of(step)); // a part before it ended the round
        assertEquals("nothing", settlement(step, exchange, 429));
    }

    @Test
    void anUnavailableRedisFailsClosedOrOpenAsConfiguredAndReleasesWhatTheRoundMayHaveClaimed() {
        for (String policy : new String[] {"closed", "open"}) {
            IdempotencyStep step = step(policy);
            Exchange exchange = order("token-a");
            Rounds.failed(exchange, new RedisUnavailableException(new java.net.ConnectException()), step);
            if (policy.equals("closed")) {
                assertThat(step.onRequest(exchange)).rejectsWith(GatewayError.DEPENDENCY_UNAVAILABLE);
            } else {
                assertThat(step.onRequest(exchange)).continues();
                exchange.upstreamOutcome(new UpstreamOutcome(UpstreamOutcome.Kind.ANSWERED, 200, false), 1);
            }
            assertEquals("release.lua", settlement(step, exchange, 200), policy);
        }
    }

    @Test
    void aRedisFaultIs500EvenWhenTheStoreMayFailOpen() {
        IdempotencyStep step = step("open");
        Exchange exchange = order("token-a");
        Rounds.failed(exchange, new RedisFaultException("claim.lua", "WRONGTYPE"), step);
        assertThat(step.onRequest(exchange)).rejectsWith(GatewayError.INTERNAL_ERROR);
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

    @Test
    void aRecordThatFailsItsSealIsNeitherReplayedNorForwarded() {
        GatewayResponse stored = new GatewayResponse(200, Map.of(), Buffer.buffer("{\"order_id\":\"o1\"}"));
        String genuine = SEAL.seal(
                IdempotencyStore.recordKey("main-shop", "k1"),
                held("token-a", stored).toJson());
        String edited = genuine.replace("\"owner\":\"other-owner\"", "\"owner\":\"another-owner\"");
        String movedFromAnotherKey = SEAL.seal(
                IdempotencyStore.recordKey("main-shop", "k2"),
                held("token-a", stored).toJson());
        String unsealed = held("token-a", stored).toJson();
        for (String record : List.of(edited, movedFromAnotherKey, unsealed)) {
            Exchange exchange = order("token-a");
            assertThat(claimed(step("open"), exchange, List.of(0L, record))).rejectsWith(GatewayError.INTERNAL_ERROR);
            assertTrue(exchange.fact(IdempotencyClaim.FACT).isEmpty(), "nothing held, so nothing forwarded");
        }
    }
}
