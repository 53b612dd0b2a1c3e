package io.tokengateway.upstream;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.error.GatewayError;
import io.tokengateway.error.GatewayException;
import io.tokengateway.merchant.Merchant;
import io.tokengateway.pipeline.Exchange;
import io.tokengateway.pipeline.GatewayRequest;
import io.tokengateway.pipeline.GatewayResponse;
import io.tokengateway.pipeline.Operation;
import io.tokengateway.pipeline.PipelineStep;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;

/**
 * The last step: calls the merchant's provider account and passes its answer back.
 *
 * <p>What goes upstream is built from scratch, never copied from the caller: the merchant's
 * {@code Authorization: Basic}, {@code Accept}, the body's {@code Content-Type}, the
 * {@code Klarna-Idempotency-Key} and the raw body bytes. The caller's bearer token, cookies and any
 * other header stop here.
 *
 * <p>Each attempt runs through the merchant's {@link MerchantGuards guard} (circuit breaker, bulkhead);
 * failed attempts are retried with backoff and jitter only where {@link RetryPolicy} says it is safe; and
 * the whole call, retries included, has one deadline ({@code gateway.upstream.timeout}).
 *
 * <p>What comes back passes through unchanged (status, body, {@link UpstreamHeaders allowed headers}),
 * except an upstream 401: it means the gateway's own credentials for that merchant are wrong, which is
 * not the caller's fault, so the caller gets 502 {@code UPSTREAM_AUTH_FAILED} and operators get an error log.
 */
@ApplicationScoped
public class UpstreamForwarder implements PipelineStep {

    private static final Logger LOG = Logger.getLogger(UpstreamForwarder.class);

    private final UpstreamClient client;
    private final MerchantGuards guards;
    private final UpstreamMetrics metrics;
    private final Duration timeout;
    private final GatewayConfig.RetryConfig retry;
    private final String circuitRetryAfter;

    UpstreamForwarder(UpstreamClient client, MerchantGuards guards, UpstreamMetrics metrics, GatewayConfig config) {
        this.client = client;
        this.guards = guards;
        this.metrics = metrics;
        this.timeout = config.upstream().timeout();
        this.retry = config.upstream().retry();
        this.circuitRetryAfter = Long.toString(Math.max(1, (config.upstream().circuitBreaker().delay().toMillis() + 999) / 1000));
    }

    @Override
    public String name() {
        return "forward";
    }

    @Override
    public Uni<GatewayResponse> onRequest(Exchange exchange) {
        Merchant merchant = exchange.merchant();
        GatewayRequest request = exchange.request();
        Operation operation = request.operation();
        boolean hasKey = request.idempotencyKey() != null;
        long start = System.nanoTime();
        int[] attempts = { 0 }; // confined to this request's event-loop thread
        return guards.guard(merchant.id(), () -> {
                    attempts[0]++;
                    return attempt(merchant, request);
                })
                .onFailure(failure -> RetryPolicy.isSafeToRetry(operation, hasKey, failure))
                .retry().withBackOff(retry.initialBackoff(), retry.maxBackoff()).withJitter(0.5).atMost(retry.maxRetries())
                .ifNoItem().after(timeout).failWith(TimeoutException::new)
                .onFailure(UpstreamServerError.class).recoverWithItem(failure -> ((UpstreamServerError) failure).response())
                .onItemOrFailure().invoke((response, failure) -> {
                    long took = System.nanoTime() - start;
                    exchange.upstreamLatencyNanos(took);
                    metrics.latency(merchant.id(), operation, response != null ? response.statusCode() / 100 + "xx"
                            : failure.getClass().getSimpleName(), took);
                    metrics.retries(merchant.id(), operation, attempts[0] - 1);
                })
                .onFailure().transform(failure -> unreachable(exchange, failure))
                .map(response -> answer(exchange, response));
    }

    /** One call to the provider; a 5xx answer becomes a failure so the breaker and the retry policy see it. */
    private Uni<HttpResponse<Buffer>> attempt(Merchant merchant, GatewayRequest request) {
        Operation operation = request.operation();
        HttpRequest<Buffer> upstream = client.webClient()
                .requestAbs(HttpMethod.valueOf(operation.method()), merchant.url(operation.path(request.customerToken())))
                .putHeader("Authorization", merchant.credentials().authorizationHeader())
                .putHeader("Accept", "application/json")
                .timeout(timeout.toMillis());
        if (request.idempotencyKey() != null) {
            upstream.putHeader("Klarna-Idempotency-Key", request.idempotencyKey());
        }
        Uni<HttpResponse<Buffer>> call;
        if (operation.hasBody()) {
            upstream.putHeader("Content-Type", request.contentType() != null ? request.contentType() : "application/json");
            call = upstream.sendBuffer(Buffer.buffer(request.body()));
        } else {
            call = upstream.send();
        }
        return call.map(response -> {
            if (response.statusCode() >= 500) {
                throw new UpstreamServerError(response);
            }
            return response;
        });
    }

    private static GatewayResponse answer(Exchange exchange, HttpResponse<Buffer> response) {
        exchange.upstreamStatus(response.statusCode());
        if (response.statusCode() == 401) {
            LOG.errorf("Provider rejected the gateway's credentials for merchant %s (correlation id %s): "
                    + "check gateway.merchants.%s.username and .password", exchange.merchant().id(),
                    exchange.correlationId(), exchange.merchant().id());
            throw new GatewayException(GatewayError.UPSTREAM_AUTH_FAILED,
                    "The provider rejected the gateway's credentials for this merchant.");
        }
        Buffer body = response.body();
        return new GatewayResponse(response.statusCode(), UpstreamHeaders.passedBack(response.headers()),
                body == null ? io.vertx.core.buffer.Buffer.buffer() : body.getDelegate());
    }

    private GatewayException unreachable(Exchange exchange, Throwable failure) {
        // The failure's message can quote the upstream path, which holds the customer token: never log it.
        LOG.warnf("Upstream call for merchant %s failed (correlation id %s): %s", exchange.merchant().id(),
                exchange.correlationId(), failure.getClass().getName());
        if (failure instanceof GatewayException rejection) {
            return rejection;
        }
        if (failure instanceof TimeoutException) {
            return new GatewayException(GatewayError.UPSTREAM_TIMEOUT, "The provider did not answer in time.");
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return new GatewayException(GatewayError.UPSTREAM_UNAVAILABLE,
                    List.of("The provider is failing for this merchant; calls are paused (circuit open)."),
                    Map.of("Retry-After", circuitRetryAfter));
        }
        if (failure instanceof BulkheadException) {
            return new GatewayException(GatewayError.UPSTREAM_UNAVAILABLE,
                    List.of("Too many calls to the provider are in flight for this merchant."), Map.of("Retry-After", "1"));
        }
        if (failure instanceof ConnectException || failure instanceof UnknownHostException
                || failure instanceof NoRouteToHostException) {
            return new GatewayException(GatewayError.UPSTREAM_UNAVAILABLE, "The provider could not be reached.");
        }
        return new GatewayException(GatewayError.UPSTREAM_ERROR, "The provider's answer was broken off or malformed.");
    }
}
