package io.tokengateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A provider stand-in in the test's own JVM, for black-box tests of the packaged gateway: it counts every
 * call it receives, answers like the provider (orders deduplicated by {@code Klarna-Idempotency-Key}, as
 * the provider does), and can be switched into a fault mode (slow, failing, dropping connections).
 */
public final class CountingProvider implements AutoCloseable {

    public enum Mode {
        NORMAL,
        SLOW,
        FAIL_503,
        DROP
    }

    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(64);
    private final AtomicInteger calls = new AtomicInteger();
    private final java.util.Queue<Long> arrivals = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Map<String, String> ordersByKey = new ConcurrentHashMap<>();
    private final AtomicInteger ordersCreated = new AtomicInteger();
    private final Map<String, AtomicInteger> orderRequestsByKey = new ConcurrentHashMap<>();
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.NORMAL);
    private volatile long slowMillis = 3000;
    private final Map<String, String> authorizationByAnswer = new ConcurrentHashMap<>();

    public CountingProvider() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePort.pick()), 512);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int calls() {
        return calls.get();
    }

    /** When each call arrived ({@link System#nanoTime()}), in arrival order. */
    public List<Long> arrivals() {
        return List.copyOf(arrivals);
    }

    public int ordersCreated() {
        return ordersCreated.get();
    }

    /** How many order requests with this {@code Klarna-Idempotency-Key} reached the provider, in any mode. */
    public int orderRequests(String idempotencyKey) {
        AtomicInteger count = orderRequestsByKey.get(idempotencyKey);
        return count == null ? 0 : count.get();
    }

    /** Order requests by idempotency key, for every key that reached the provider. */
    public Map<String, Integer> orderRequestsByKey() {
        Map<String, Integer> counts = new java.util.HashMap<>();
        orderRequestsByKey.forEach((key, count) -> counts.put(key, count.get()));
        return counts;
    }

    /**
     * The {@code Authorization} header of each call, by the {@code Klarna-Correlation-Id} its answer carried (which
     * the gateway's audit record names): which credentials a given request reached the provider with.
     */
    public Map<String, String> authorizationByAnswer() {
        return Map.copyOf(authorizationByAnswer);
    }

    public void mode(Mode next) {
        mode.set(next);
    }

    public void slowMillis(long millis) {
        slowMillis = millis;
    }

    private void handle(HttpExchange exchange) throws IOException {
        arrivals.add(System.nanoTime());
        calls.incrementAndGet();
        byte[] body = exchange.getRequestBody().readAllBytes();
        String orderKey = exchange.getRequestHeaders().getFirst("Klarna-Idempotency-Key");
        if (orderKey != null && exchange.getRequestURI().getPath().endsWith("/order")) {
            orderRequestsByKey
                    .computeIfAbsent(orderKey, k -> new AtomicInteger())
                    .incrementAndGet();
        }
        String answerId = UUID.randomUUID().toString();
        exchange.getResponseHeaders().add("Klarna-Correlation-Id", answerId);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizationByAnswer.put(answerId, authorization == null ? "" : authorization);
        switch (mode.get()) {
            case SLOW -> LockSupport.parkNanos(slowMillis * 1_000_000);
            case FAIL_503 -> {
                respond(exchange, 503, "{\"error_code\":\"SERVICE_UNAVAILABLE\",\"error_messages\":[\"down\"]}");
                return;
            }
            case DROP -> {
                // close the connection without a byte of answer
                exchange.close();
                return;
            }
            case NORMAL -> {}
        }
        String path = exchange.getRequestURI().getPath();
        if (exchange.getRequestMethod().equals("POST") && path.endsWith("/order")) {
            String key = exchange.getRequestHeaders().getFirst("Klarna-Idempotency-Key");
            String orderId = key == null ? newOrder() : ordersByKey.computeIfAbsent(key, k -> newOrder());
            respond(
                    exchange,
                    200,
                    "{\"order_id\":\"" + orderId
                            + "\",\"fraud_status\":\"ACCEPTED\",\"redirect_url\":\"https://x.invalid\"}");
        } else if (exchange.getRequestMethod().equals("PATCH")) {
            respond(exchange, 202, null);
        } else {
            respond(
                    exchange,
                    200,
                    "{\"status\":\"ACTIVE\",\"payment_method_type\":\"INVOICE\",\"echo\":\"" + body.length + "\"}");
        }
    }

    private String newOrder() {
        ordersCreated.incrementAndGet();
        return UUID.randomUUID().toString();
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        if (json == null) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
