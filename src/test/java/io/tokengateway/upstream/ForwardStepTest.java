package io.tokengateway.upstream;

import static io.tokengateway.flow.testkit.StepAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.Operation;
import io.tokengateway.flow.UpstreamOutcome;
import io.tokengateway.flow.UpstreamOutcome.Acted;
import io.tokengateway.flow.testkit.ExchangeBuilder;
import io.tokengateway.flow.testkit.TestConfig;
import io.tokengateway.merchant.Credentials;
import io.tokengateway.merchant.Merchant;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.core.Vertx;

/**
 * The forward step against a real HTTP upstream that misbehaves on cue: what is sent, what comes back, which
 * outcome. A {@code @QuarkusTest} only because the REST client is built inside a running Quarkus application;
 * the step, its client and its guards are built here, each test with its own.
 */
@QuarkusTest
class ForwardStepTest {

    /** The clients these tests build are asked for per merchant; their count gauge goes nowhere. */
    private static final io.micrometer.core.instrument.MeterRegistry METERS =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    /** A request as the upstream received it, copied when it arrived. */
    record Received(String method, String path, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private Vertx vertx;
    private HttpServer upstream;
    private final Queue<Consumer<HttpServerRequest>> script = new ConcurrentLinkedQueue<>();
    private final CopyOnWriteArrayList<Received> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> firstConnectionClosed = new CompletableFuture<>();
    private GatewayConfig config;
    private ProviderClients clients;
    private ForwardStep step;
    private Merchant merchant;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        upstream = vertx.getDelegate()
                .createHttpServer()
                .connectionHandler(
                        connection -> connection.closeHandler(closed -> firstConnectionClosed.complete(null)))
                .requestHandler(request -> request.body().onSuccess(body -> {
                    Map<String, String> headers = new TreeMap<>();
                    request.headers()
                            .forEach(
                                    header -> headers.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
                    received.add(new Received(request.method().name(), request.path(), headers, body.getBytes()));
                    Consumer<HttpServerRequest> next = script.poll();
                    (next != null ? next : ok()).accept(request);
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .join();
        config = TestConfig.gateway(Map.of(
                "upstream.timeout",
                "1s",
                "upstream.retry.initial-backoff",
                "10ms",
                "upstream.retry.max-backoff",
                "20ms"));
        clients = new ProviderClients(config, METERS);
        step = forwardStep(clients);
        merchant = new Merchant(
                "main-shop",
                URI.create("http://127.0.0.1:" + upstream.actualPort()),
                Credentials.basic("uid", "pw"),
                true);
    }

    private ForwardStep forwardStep(ProviderClients providerClients) {
        return new ForwardStep(
                new ProviderClient(providerClients),
                new UnguardedCalls(config),
                new UpstreamMetrics(new SimpleMeterRegistry()),
                config);
    }

    @AfterEach
    void stop() {
        clients.close();
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
        Uni<ProviderAnswer> guard(String merchantId, Supplier<Uni<ProviderAnswer>> call) {
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
        // Whitespace, escapes and multi-byte UTF-8 as sent: the provider gets these bytes, not a re-encoding.
        String order = "{ \"order_amount\" : 1,\n  \"merchant_data\":\"caf\u00e9 \\u00e9 \ud83d\udcb3\" }";
        Exchange exchange = ExchangeBuilder.createOrder(order)
                .token("kct:a.b_c-1")
                .contentType("application/json; charset=ISO-8859-1")
                .idempotencyKey("key-1")
                .merchant(merchant)
                .build();
        GatewayResponse answer = assertThat(step.onRequest(exchange)).answers();
        assertEquals(200, answer.status());
        assertEquals("kc-1", answer.headers().get("Klarna-Correlation-Id"));
        assertFalse(answer.hasHeader("Set-Cookie"));
        assertEquals("{\"order_id\":\"o-1\"}", answer.body().toString(StandardCharsets.UTF_8));

        Received sent = received.get(0);
        assertEquals("POST", sent.method());
        assertEquals(Operation.CREATE_ORDER.path("kct:a.b_c-1"), sent.path(), "the token's path, unencoded");
        assertEquals(
                ProviderRequestHeaders.ORDER,
                sent.headers().keySet(),
                "exactly the headers the gateway builds, nothing the client library adds on its own");
        assertEquals("application/json", sent.header("Content-Type"), "never the caller's content type");
        assertEquals("application/json", sent.header("Accept"));
        assertEquals("tokengateway", sent.header("User-Agent"));
        assertEquals("key-1", sent.header("Klarna-Idempotency-Key"));
        assertEquals(Credentials.basic("uid", "pw").authorizationHeader(), sent.header("Authorization"));
        assertArrayEquals(order.getBytes(StandardCharsets.UTF_8), sent.body(), "the body byte for byte");
        assertEquals(
                UpstreamOutcome.answered(200, false), exchange.upstreamOutcome().orElseThrow());
    }

    @Test
    void aRedirectIsPassedBackNotFollowed() {
        // The redirect points back at the same upstream: had it been followed, the upstream would see it.
        script.add(request -> request.response()
                .setStatusCode(302)
                .putHeader("Location", "http://127.0.0.1:" + upstream.actualPort() + "/elsewhere")
                .end());
        Exchange exchange = order();
        GatewayResponse answer = assertThat(step.onRequest(exchange)).answers();
        assertEquals(302, answer.status());
        assertEquals(
                "http://127.0.0.1:" + upstream.actualPort() + "/elsewhere",
                answer.headers().get("Location"));
        assertEquals(1, received.size());
        assertEquals(Acted.NO, exchange.upstreamOutcome().orElseThrow().acted());
    }

    @Test
    void aRefusalWithABodyPassesThroughByteForByte() {
        String refusal = "{\"error_code\":\"BAD_VALUE\",\"error_messages\":[\"order_amount: caf\u00e9\"]}";
        script.add(request -> request.response()
                .setStatusCode(400)
                .putHeader("Content-Type", "application/json")
                .putHeader("Klarna-Correlation-Id", "kc-400")
                .end(refusal));
        Exchange exchange = order();
        GatewayResponse answer = assertThat(step.onRequest(exchange)).answers();
        assertEquals(400, answer.status());
        assertEquals("kc-400", answer.headers().get("Klarna-Correlation-Id"));
        assertArrayEquals(
                refusal.getBytes(StandardCharsets.UTF_8), answer.body().getBytes());
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
    void droppedEveryTimeIsRetriedThen502WithAnUnknownOutcome() {
        for (int i = 0; i < 3; i++) {
            script.add(drop());
        }
        Exchange exchange = order();
        assertThat(step.onRequest(exchange)).rejectsWith(GatewayError.UPSTREAM_ERROR);
        assertEquals(3, received.size(), "a closed connection is retried for a keyed order");
        assertEquals(
                UpstreamOutcome.Kind.UNKNOWN,
                exchange.upstreamOutcome().orElseThrow().kind());
    }

    @Test
    void aMalformedAnswerIs502WithAnUnknownOutcomeAndNotRetried() {
        // A raw TCP upstream: no HTTP server would send this status line.
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        io.vertx.core.net.NetServer broken = vertx.getDelegate()
                .createNetServer()
                .connectHandler(socket -> socket.handler(bytes -> {
                    requests.incrementAndGet();
                    socket.write("HTTP/1.1 two hundred\r\n\r\n");
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .join();
        Merchant garbled = new Merchant(
                "garbled-shop",
                URI.create("http://127.0.0.1:" + broken.actualPort()),
                Credentials.basic("uid", "pw"),
                true);
        Exchange exchange = ExchangeBuilder.createOrder("{}")
                .idempotencyKey("key-1")
                .merchant(garbled)
                .build();
        assertThat(step.onRequest(exchange)).rejectsWith(GatewayError.UPSTREAM_ERROR);
        assertEquals(1, requests.get(), "a broken answer is not retried");
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

    /** Provider clients with one connection and one call at a time per merchant, calls bounded by {@code timeout}. */
    private static ProviderClients oneConnection(String timeout) {
        return new ProviderClients(
                TestConfig.gateway(Map.of(
                        "upstream.timeout",
                        timeout,
                        "upstream.max-connections",
                        "1",
                        "upstream.bulkhead.max-concurrent",
                        "1")),
                METERS);
    }

    @Test
    void anAttemptOutOfTimeIsAbortedOnTheWireNotLeftRunning() throws Exception {
        // The client's own read timeout (its backstop) far beyond the forward's 1 s deadline: what ends the
        // request at the deadline can only be the cancelled call resetting it. One pooled connection, so a
        // request left hanging would also hold up the next call.
        ProviderClients patient = oneConnection("30s");
        try {
            ForwardStep bounded = forwardStep(patient);
            script.add(request -> {}); // never answers
            long start = System.nanoTime();
            assertThat(bounded.onRequest(order())).rejectsWith(GatewayError.UPSTREAM_TIMEOUT);
            firstConnectionClosed.get(2, TimeUnit.SECONDS);
            Duration closedAfter = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(
                    closedAfter.compareTo(Duration.ofMillis(2500)) < 0,
                    "the upstream saw the request aborted after " + closedAfter);
            assertEquals(200, assertThat(bounded.onRequest(order())).answers().status());
        } finally {
            patient.close();
        }
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
    void aMerchantWhoseCallsHangCannotTakeAnothersConnections() {
        // One connection per merchant. A call of main-shop that is never answered holds main-shop's; another
        // merchant's call to the same provider host is answered at once from its own pool.
        ProviderClients pools = oneConnection("30s");
        try {
            script.add(request -> {}); // never answers
            Cancellable held = new ProviderClient(pools)
                    .send(merchant, order().request())
                    .subscribe()
                    .with(answer -> {}, failure -> {});
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
            Merchant other = new Merchant("other-shop", merchant.baseUrl(), Credentials.basic("uid-2", "pw-2"), true);
            assertEquals(
                    200,
                    assertThat(forwardStep(pools)
                                    .onRequest(ExchangeBuilder.readToken()
                                            .merchant(other)
                                            .build()))
                            .answers()
                            .status());
            held.cancel();
        } finally {
            pools.close();
        }
    }

    @Test
    void aCallCancelledWhileWaitingForAConnectionIsNeverSentAndGivesItsConnectionBackAtTheTimeout() {
        // The REST client does not send a call cancelled while it waited for a pooled connection, but neither does
        // it give back the connection it then obtains: the client's read timeout (the forward's deadline, here
        // 2 s) resets that unsent request, and the pool recovers. Calls meanwhile wait for the connection.
        ProviderClients pool = oneConnection("2s");
        try {
            ProviderClient client = new ProviderClient(pool);
            script.add(request -> {}); // never answers
            Cancellable order =
                    client.send(merchant, order().request()).subscribe().with(answer -> {}, failure -> {});
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
            Cancellable waiting = client.send(
                            merchant,
                            ExchangeBuilder.cancelToken()
                                    .merchant(merchant)
                                    .build()
                                    .request())
                    .subscribe()
                    .with(answer -> {}, failure -> {});
            Awaitility.await().pollDelay(Duration.ofMillis(200)).until(() -> true); // queued for the connection
            waiting.cancel();
            order.cancel(); // resets the order's request: the queued call now gets a connection, and must not use it
            long start = System.nanoTime();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(8))
                    .ignoreExceptions() // a read may itself time out waiting for the connection
                    .until(() -> client.send(
                                            merchant,
                                            ExchangeBuilder.readToken()
                                                    .merchant(merchant)
                                                    .build()
                                                    .request())
                                    .await()
                                    .atMost(Duration.ofSeconds(5))
                                    .status()
                            == 200);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(
                    List.of("POST", "GET"),
                    received.stream().map(Received::method).toList(),
                    "the cancelled call was never sent");
            assertTrue(took.compareTo(Duration.ofSeconds(6)) < 0, "the pool recovered after " + took);
        } finally {
            pool.close();
        }
    }

    @Test
    void aReadSendsNoBodyAndNoContentType() {
        assertEquals(
                200,
                assertThat(step.onRequest(
                                ExchangeBuilder.readToken().merchant(merchant).build()))
                        .answers()
                        .status());
        Received sent = received.get(0);
        assertEquals("GET", sent.method());
        assertEquals(Operation.READ_TOKEN.path("kct-test-token"), sent.path());
        assertEquals(
                ProviderRequestHeaders.BODYLESS, new TreeSet<>(sent.headers().keySet()));
        assertNull(sent.header("Content-Type"));
        assertEquals(0, sent.body().length);
    }

    @Test
    void aCancelSendsItsBodyAndNoKeyWhenNoneWasGiven() {
        Exchange exchange = ExchangeBuilder.cancelToken().merchant(merchant).build();
        script.add(request -> request.response().setStatusCode(202).end());
        GatewayResponse answer = assertThat(step.onRequest(exchange)).answers();
        assertEquals(202, answer.status());
        assertEquals(0, answer.body().length());
        Received sent = received.get(0);
        assertEquals("PATCH", sent.method());
        assertEquals(Operation.CANCEL_TOKEN.path("kct-test-token"), sent.path());
        assertNull(sent.header("Klarna-Idempotency-Key"));
        assertEquals("{\"status\":\"CANCELLED\"}", new String(sent.body(), StandardCharsets.UTF_8));
    }
}
