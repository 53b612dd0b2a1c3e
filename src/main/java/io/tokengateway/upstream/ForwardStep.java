package io.tokengateway.upstream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayRequest;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.Operation;
import io.tokengateway.flow.Step;
import io.tokengateway.flow.StepResult;
import io.tokengateway.flow.UpstreamOutcome;
import io.tokengateway.merchant.Merchant;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * The last step: calls the merchant's provider account, records the forward's typed
 * {@link UpstreamOutcome} on the exchange, and passes the provider's answer back.
 *
 * <p>What goes upstream is built from scratch by the merchant's {@link CustomerTokenApi} client, never
 * copied from the caller: the merchant's {@code Authorization: Basic}, {@code Accept: application/json},
 * {@code Content-Type: application/json} when there is a body (the body was validated as UTF-8 JSON,
 * whatever parameters the caller's header carried), the {@code Klarna-Idempotency-Key} and the raw body
 * bytes. The caller's bearer token, cookies and any other header stop here.
 *
 * <p>Each attempt runs through the merchant's {@link MerchantGuards guard} (circuit breaker, bulkhead);
 * failed attempts are retried with backoff and jitter only where {@link RetryPolicy} says it is safe; and
 * the whole call, retries and queueing included, has one deadline ({@code gateway.upstream.timeout}): each
 * attempt gets what is left of it (and is cancelled when that is spent, which resets its HTTP request),
 * and an attempt still waiting when it passes is never sent ({@link AttemptLog}).
 *
 * <p>What comes back passes through unchanged (status, body, {@link UpstreamHeaders allowed headers}),
 * except an upstream 401: it means the gateway's own credentials for that merchant are wrong, which is
 * not the caller's fault, so the caller gets 502 {@code UPSTREAM_AUTH_FAILED} and operators get an error log.
 */
@Singleton
public class ForwardStep implements Step {

    private static final Logger LOG = Logger.getLogger(ForwardStep.class);

    private final ProviderClient client;
    private final MerchantGuards guards;
    private final UpstreamMetrics metrics;
    private final GatewayConfig.UpstreamConfig config;
    private final String circuitRetryAfter;

    ForwardStep(ProviderClient client, MerchantGuards guards, UpstreamMetrics metrics, GatewayConfig config) {
        this.client = client;
        this.guards = guards;
        this.metrics = metrics;
        this.config = config.upstream();
        this.circuitRetryAfter =
                Long.toString(Math.max(1, (this.config.circuitBreaker().delay().toMillis() + 999) / 1000));
    }

    @Override
    public String name() {
        return "forward";
    }

    @Override
    public Uni<StepResult> onRequest(Exchange exchange) {
        Merchant merchant = exchange.require(Merchant.FACT);
        GatewayRequest request = exchange.request();
        Operation operation = request.operation();
        boolean hasKey = request.idempotencyKey() != null;
        long start = System.nanoTime();
        AttemptLog attempts = new AttemptLog(start + config.timeout().toNanos());
        GatewayConfig.RetryConfig retry = config.retry();
        return guards.guard(
                        merchant.id(),
                        () -> attempts.track(() -> attempt(merchant, request, attempts.remainingMillis())))
                .onFailure(failure -> RetryPolicy.isSafeToRetry(operation, hasKey, failure))
                .retry()
                .withBackOff(retry.initialBackoff(), retry.maxBackoff())
                .withJitter(0.5)
                .atMost(retry.maxRetries())
                .ifNoItem()
                .after(config.timeout())
                .failWith(() -> {
                    attempts.close(); // whatever still waits for its turn is never sent
                    return new TimeoutException();
                })
                .onFailure(UpstreamServerError.class)
                .recoverWithItem(failure -> ((UpstreamServerError) failure).answer())
                .emitOn(backOn(Vertx.currentContext()))
                .onItemOrFailure()
                .transform((answer, failure) -> {
                    UpstreamOutcome outcome = answer != null
                            ? OutcomeClassifier.answered(answer.status(), attempts)
                            : OutcomeClassifier.failed(failure, attempts);
                    long took = System.nanoTime() - start;
                    exchange.upstreamOutcome(outcome, took);
                    metrics.latency(merchant.id(), operation, outcome.label(), took);
                    metrics.retries(merchant.id(), operation, attempts.started() - 1);
                    return answer != null
                            ? answer(exchange, merchant, answer)
                            : unanswered(exchange, merchant, failure);
                });
    }

    /**
     * One call to the provider, bounded by what is left of the forward's deadline; a 5xx answer becomes a
     * failure so the breaker and the retry policy see it. At the bound the call is cancelled, and the REST
     * client resets its HTTP request. (A cancellation racing the request's first write can still let it go out
     * unreset; its outcome is then UNKNOWN like any timeout, and the client's read timeout frees the connection.)
     */
    private Uni<ProviderAnswer> attempt(Merchant merchant, GatewayRequest request, long timeoutMillis) {
        return client.send(merchant, request)
                .ifNoItem()
                .after(Duration.ofMillis(timeoutMillis))
                .failWith(TimeoutException::new)
                .map(answer -> {
                    if (answer.status() >= 500) {
                        throw new UpstreamServerError(answer);
                    }
                    return answer;
                });
    }

    private static StepResult answer(Exchange exchange, Merchant merchant, ProviderAnswer answer) {
        if (answer.status() == 401) {
            LOG.errorf(
                    "Provider rejected the gateway's credentials for merchant %s (correlation id %s): "
                            + "check gateway.merchants.%s.username and .password",
                    merchant.id(), exchange.correlationId(), merchant.id());
            return new StepResult.Reject(
                    GatewayError.UPSTREAM_AUTH_FAILED,
                    "The provider rejected the gateway's credentials for this merchant.");
        }
        return new StepResult.Answer(GatewayResponse.passedThrough(
                answer.status(), UpstreamHeaders.passedBack(answer.headers()), Buffer.buffer(answer.body())));
    }

    private StepResult unanswered(Exchange exchange, Merchant merchant, Throwable failure) {
        // The failure's message can quote the upstream path, which holds the customer token: never log it.
        LOG.warnf(
                "Upstream call for merchant %s failed (correlation id %s): %s",
                merchant.id(), exchange.correlationId(), failure.getClass().getName());
        if (failure instanceof TimeoutException) {
            return new StepResult.Reject(GatewayError.UPSTREAM_TIMEOUT, "The provider did not answer in time.");
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return new StepResult.Reject(
                    GatewayError.UPSTREAM_UNAVAILABLE,
                    List.of("The provider is failing for this merchant; calls are paused (circuit open)."),
                    Map.of("Retry-After", circuitRetryAfter));
        }
        if (failure instanceof BulkheadException) {
            return new StepResult.Reject(
                    GatewayError.UPSTREAM_UNAVAILABLE,
                    List.of("Too many calls to the provider are in flight for this merchant."),
                    Map.of("Retry-After", "1"));
        }
        if (OutcomeClassifier.isNotSent(failure)) {
            return new StepResult.Reject(GatewayError.UPSTREAM_UNAVAILABLE, "The provider could not be reached.");
        }
        return new StepResult.Reject(GatewayError.UPSTREAM_ERROR, "The provider's answer was broken off or malformed.");
    }

    /**
     * Emits back on the request's event-loop context: a retry after a backoff, or the deadline, fires on a
     * timer thread, and every later step must see the exchange on the request's own thread.
     */
    private static java.util.concurrent.Executor backOn(Context context) {
        if (context == null) {
            return Runnable::run;
        }
        return task -> {
            if (Vertx.currentContext() == context) {
                task.run();
            } else {
                context.runOnContext(ignored -> task.run());
            }
        };
    }
}
