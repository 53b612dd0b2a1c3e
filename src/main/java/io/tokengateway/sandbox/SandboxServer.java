package io.tokengateway.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.config.GatewayConfig.SandboxConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A simulator of the provider's Customer Token API on its own port ({@code gateway.sandbox.port}),
 * so dev mode and tests have a real HTTP upstream. A bean in dev mode and tests only (off unless
 * {@code gateway.sandbox.enabled=true}): the production build has no such bean, so nothing of it runs,
 * listens or is loaded there. Tests of the packaged gateway run it in their own JVM
 * ({@link #standalone}).
 *
 * <p>Like the provider it requires Basic auth ({@code gateway.sandbox.credentials.<username>=<password>}),
 * answers 401 without it, and adds a {@code Klarna-Correlation-Id} to every answer. For tests it keeps a
 * journal of what it received and applies queued {@link SandboxFault faults}; for demos and benchmarks
 * it adds {@code gateway.sandbox.latency} to every answer and fails {@code gateway.sandbox.failure-rate}
 * of them with 503.
 */
@ApplicationScoped
@IfBuildProfile(anyOf = {"dev", "test"})
public class SandboxServer {

    private static final Logger LOG = Logger.getLogger(SandboxServer.class);
    private static final String TOKEN_PATH = "/customer-token/v1/tokens/:token";

    private final SandboxConfig config;
    private final Vertx vertx;
    private final SandboxProvider provider = new SandboxProvider();
    private final Queue<RecordedRequest> journal = new ConcurrentLinkedQueue<>();
    private final Queue<SandboxFault> faults = new ConcurrentLinkedQueue<>();
    private HttpServer server;

    @Inject
    SandboxServer(GatewayConfig config, Vertx vertx) {
        this(config.sandbox(), vertx);
    }

    private SandboxServer(SandboxConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    /** A simulator outside any application, listening at once: for tests of the packaged gateway. */
    public static SandboxServer standalone(SandboxConfig config, Vertx vertx) {
        SandboxServer server = new SandboxServer(config, vertx);
        server.listen();
        return server;
    }

    /** The port it listens on. */
    public int port() {
        return server.actualPort();
    }

    void start(@Observes StartupEvent event) {
        if (config.enabled()) {
            listen();
        }
    }

    private void listen() {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(8 * 1024 * 1024));
        router.route().handler(this::record);
        router.get(TOKEN_PATH)
                .handler(ctx -> answer(ctx, account -> provider.readToken(account, ctx.pathParam("token"))));
        router.post(TOKEN_PATH + "/order")
                .handler(ctx -> answer(
                        ctx,
                        account -> provider.createOrder(
                                account,
                                ctx.pathParam("token"),
                                ctx.request().getHeader("Klarna-Idempotency-Key"),
                                ctx.body().buffer())));
        router.patch(TOKEN_PATH + "/status")
                .handler(ctx -> answer(
                        ctx,
                        account -> provider.cancelToken(
                                account, ctx.pathParam("token"), ctx.body().buffer())));
        router.route().handler(ctx -> send(ctx, SandboxAnswer.error(404, "NOT_FOUND", "No such resource.")));
        server = vertx.createHttpServer()
                .requestHandler(router)
                .listen(config.port(), config.host())
                .toCompletionStage()
                .toCompletableFuture()
                .join();
        LOG.infof(
                "Provider sandbox listening on http://%s:%d (simulator, not for production)",
                config.host(), server.actualPort());
    }

    void stop(@Observes ShutdownEvent event) {
        close();
    }

    public void close() {
        if (server != null) {
            server.close();
        }
    }

    /** Everything received since the last {@link #reset()}, oldest first. */
    public List<RecordedRequest> received() {
        return List.copyOf(journal);
    }

    /** Forgets the journal and any queued faults. */
    public void reset() {
        journal.clear();
        faults.clear();
    }

    /** Applies the fault to the next request the simulator receives. */
    public void enqueue(SandboxFault fault) {
        faults.add(fault);
    }

    /** Applies the fault to each of the next {@code times} requests. */
    public void enqueue(SandboxFault fault, int times) {
        for (int i = 0; i < times; i++) {
            faults.add(fault);
        }
    }

    private void record(RoutingContext ctx) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        ctx.request().headers().forEach(h -> headers.computeIfAbsent(
                        h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .add(h.getValue()));
        String body = ctx.body().buffer() == null ? "" : ctx.body().asString();
        journal.add(
                new RecordedRequest(ctx.request().method().name(), ctx.request().path(), headers, body));
        ctx.next();
    }

    private void answer(RoutingContext ctx, java.util.function.Function<String, SandboxAnswer> operation) {
        SandboxFault fault = faults.poll();
        Duration delay = config.latency()
                .plus(fault == null ? Duration.ZERO : fault.delay())
                .plus(tokenLatency(ctx.pathParam("token")));
        Runnable respond = () -> {
            if (fault != null && fault.dropConnection()) {
                ctx.request().connection().close();
                return;
            }
            String account = SandboxProvider.accountOf(ctx.request().getHeader("Authorization"), config.credentials());
            if (account == null) {
                send(ctx, SandboxAnswer.error(401, "UNAUTHORIZED", "Invalid API credentials."));
            } else if (fault != null && fault.status() != 0) {
                send(
                        ctx,
                        fault.body() == null
                                ? SandboxAnswer.error(fault.status(), "SANDBOX_FAULT", "Injected failure.")
                                : new SandboxAnswer(fault.status(), new io.vertx.core.json.JsonObject(fault.body())));
            } else if (config.failureRate() > 0 && ThreadLocalRandom.current().nextDouble() < config.failureRate()) {
                send(ctx, SandboxAnswer.error(503, "SERVICE_UNAVAILABLE", "Simulated outage."));
            } else {
                send(ctx, operation.apply(account));
            }
        };
        if (delay.isZero()) {
            respond.run();
        } else {
            vertx.setTimer(delay.toMillis(), id -> respond.run());
        }
    }

    /** A token named {@code slow-<ms>-...} is answered that many milliseconds late, whoever asks. */
    static Duration tokenLatency(String token) {
        if (token == null || !token.startsWith("slow-")) {
            return Duration.ZERO;
        }
        int end = token.indexOf('-', 5);
        try {
            return Duration.ofMillis(Long.parseLong(token.substring(5, end < 0 ? token.length() : end)));
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }

    private static void send(RoutingContext ctx, SandboxAnswer answer) {
        if (ctx.response().closed() || ctx.response().ended()) {
            return;
        }
        ctx.response()
                .setStatusCode(answer.status())
                .putHeader("Klarna-Correlation-Id", UUID.randomUUID().toString());
        if (answer.status() == 429) {
            ctx.response().putHeader("Retry-After", "2");
        }
        if (answer.body() == null) {
            ctx.response().end();
        } else {
            ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .end(answer.body().toBuffer());
        }
    }
}
