package io.tokengateway.upstream;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.UpstreamOutcome;
import io.tokengateway.flow.UpstreamOutcome.Acted;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.tokengateway.flow.testkit.TestConfig;
import io.tokengateway.merchant.Credentials;
import io.tokengateway.merchant.Merchant;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;

/** The forward step against a real HTTP upstream that misbehaves on cue: what is sent, what comes back, which outcome. */
class ForwardStepTest {

    private Vertx vertx;
    private HttpServer upstream;
    private final Queue<Consumer<HttpServerRequest>> script = new ConcurrentLinkedQueue<>();
    private final CopyOnWriteArrayList<HttpServerRequest> received = new CopyOnWriteArrayList<>();
    private ForwardStep step;
    private Merchant merchant;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        upstream = vertx.getDelegate()
                .createHttpServer()
                .requestHandler(request -> {
                    received.add(request);
                    Consumer<HttpServerRequest> next = script.poll();
                    (next != null ? next : ok()).accept(request);
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .join();
        GatewayConfig config = TestConfig.gateway(Map.of(
                "upstream.timeout",
                "1s",
                "upstream.retry.initial-backoff",
                "10ms",
                "upstream.retry.max-backoff",
                "20ms"));
        step = new ForwardStep(
                new UpstreamClient(vertx, config),
                new UnguardedCalls(config),
                new UpstreamMetrics(new SimpleMeterRegistry()),
                config);
        merchant = new Merchant(
                "main-shop",
                URI.create("http://127.0.0.1:" + upstream.actualPort()),
                Credentials.basic("uid", "pw"),
                true);
    }

    @AfterEach
    void stop() {
        vertx.closeAndAwait();
    }

    /**
     * Every attempt straight through: the circuit breaker and bulkhead need SmallRye Fault Tolerance's
     * runtime, and are tested with it in {@code ResilienceTest}.
     */
    static final class UnguardedCalls extends MerchantGuards {
        UnguardedCalls(GatewayConfig config) {
            super(config, new SimpleMeterRegistry());
        }

        @Override
        Uni<HttpResponse<Buffer>> guard(String merchantId, Supplier<Uni<HttpResponse<Buffer>>> call) {
            return Uni.createFrom().deferred(call::get);
        }
    }

    private static Consumer<HttpServerRequest> ok() {
        return request -> request.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Klarna-Correlation-Id", "kc-1")
                .putHeader("Set-Cookie", "tracking=1")
                .end("{\"order_id\":\"o-1\"}");
    }

    private static Consumer<HttpServerRequest> status(int status) {
        return request -> request.response().setStatusCode(status).end();
    }

    private static Consumer<HttpServerRequest> drop() {
        return request -> request.connection().close();
    }

    private Exchange order() {
        return ExchangeBuilder.createOrder("{\"order_amount\":1}")
                .contentType("application/json; charset=ISO-8859-1")
                .idempotencyKey("key-1")
                .merchant(merchant)
                .build();
    }

    @Test
    void anAnswerPassesThroughWithOnlyTheAllowedHeadersAndOurOwnRequestHeaders() {
        Exchange exchange = order();
        GatewayResponse answer = assertThat(step.onRequest(exchange)).answers();
        assertEquals(200, answer.status());
        assertEquals("kc-1", answer.headers().get("Klarna-Correlation-Id"));
        assertFalse(answer.hasHeader("Set-Cookie"));
        HttpServerRequest sent = received.get(0);
        assertEquals("application/json", sent.getHeader("Content-Type"), "never the caller's content type");
        assertEquals("key-1", sent.getHeader("Klarna-Idempotency-Key"));
        assertEquals(Credentials.basic("uid", "pw").authorizationHeader(), sent.getHeader("Authorization"));
        assertEquals(
                UpstreamOutcome.answered(200, false), exchange.upstreamOutcome().orElseThrow());
    }

    @Test
    void aRedirectIsPassedBackNotFollowed() {
        script.add(request -> request.response()
                .setStatusCode(302)
                .putHeader("Location", "http://127.0.0.1:1/elsewhere")
                .end());
        Exchange exchange = order();
        GatewayResponse answer = assertThat(step.onRequest(exchange)).answers();
        assertEquals(302, answer.status());
        assertEquals(1, received.size());
        assertEquals(Acted.NO, exchange.upstreamOutcome().orElseThrow().acted());
    }

    @Test
    void ourCredentialsRefusedIs502AndTheProviderDidNotAct() {
        script.add(status(401));
        Exchange exchange = order();
        assertThat(step.onRequest(exchange)).rejectsWith(GatewayError.UPSTREAM_AUTH_FAILED);
        assertEquals(Acted.NO, exchange.upstreamOutcome().orElseThrow().acted());
    }

    @Test
    void aServerErrorOnEveryAttemptIsPassedBackAndMayHaveActed() {
        for (int i = 0; i < 3; i++) {
            script.add(status(503));
        }
        Exchange exchange = order();
        assertEquals(503, assertThat(step.onRequest(exchange)).answers().status());
        assertEquals(3, received.size());
        assertEquals(Acted.MAYBE, exchange.upstreamOutcome().orElseThrow().acted());
    }

    @Test
    void aDroppedAttemptThenATooManyRequestsMayStillHaveActed() {
        script.add(drop());
        script.add(status(429));
        Exchange exchange = order();
        assertEquals(429, assertThat(step.onRequest(exchange)).answers().status());
        UpstreamOutcome outcome = exchange.upstreamOutcome().orElseThrow();
        assertEquals(UpstreamOutcome.answered(429, true), outcome);
        assertEquals(Acted.MAYBE, outcome.acted());
    }

    @Test
    void droppedEveryTimeIs502WithAnUnknownOutcome() {
        for (int i = 0; i < 3; i++) {
            script.add(drop());
        }
        Exchange exchange = order();
        assertThat(step.onRequest(exchange)).rejectsWith(GatewayError.UPSTREAM_ERROR);
        assertEquals(
                UpstreamOutcome.Kind.UNKNOWN,
                exchange.upstreamOutcome().orElseThrow().kind());
    }

    @Test
    void aWriteWithoutAKeyIsNotRetriedOnceItMayHaveReachedTheProvider() {
        script.add(drop());
        Exchange exchange = ExchangeBuilder.createOrder("{}").merchant(merchant).build();
        assertThat(step.onRequest(exchange)).rejectsWith(GatewayError.UPSTREAM_ERROR);
        assertEquals(1, received.size());
    }

    @Test
    void noAnswerInTimeIs504WithAnUnknownOutcome() {
        script.add(request -> {}); // never answers
        Exchange exchange = order();
        assertThat(step.onRequest(exchange)).rejectsWith(GatewayError.UPSTREAM_TIMEOUT);
        assertEquals(
                UpstreamOutcome.Kind.UNKNOWN,
                exchange.upstreamOutcome().orElseThrow().kind());
    }

    @Test
    void anUnreachableProviderIs503AndNothingWasSent() {
        Merchant nowhere =
                new Merchant("main-shop", URI.create("http://127.0.0.1:1"), Credentials.basic("uid", "pw"), true);
        Exchange exchange = ExchangeBuilder.createOrder("{}")
                .idempotencyKey("key-1")
                .merchant(nowhere)
                .build();
        assertThat(step.onRequest(exchange)).rejectsWith(GatewayError.UPSTREAM_UNAVAILABLE);
        assertEquals(UpstreamOutcome.notSent(false), exchange.upstreamOutcome().orElseThrow());
    }

    @Test
    void aReadSendsNoBodyAndNoContentType() {
        assertEquals(
                200,
                assertThat(step.onRequest(
                                ExchangeBuilder.readToken().merchant(merchant).build()))
                        .answers()
                        .status());
        assertNull(received.get(0).getHeader("Content-Type"));
        assertEquals("GET", received.get(0).method().name());
    }
}
