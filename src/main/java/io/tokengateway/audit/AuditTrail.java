package io.tokengateway.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.tokengateway.auth.Caller;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayRequest;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.Operation;
import io.tokengateway.flow.Rejection;
import io.tokengateway.flow.UpstreamOutcome;
import io.tokengateway.limit.ShadowMode;
import io.tokengateway.masking.SensitiveTextMasker;
import io.tokengateway.merchant.Merchant;
import io.tokengateway.order.Order;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Writes exactly one audit record per request: time, correlation id, caller,
 * merchant, operation, masked token, idempotency key, decision (allowed, or the rejecting step and its
 * error code, plus what shadow mode let through), status, upstream status and latency, order amount and
 * currency, the provider's {@code order_id} and {@code Klarna-Correlation-Id}. Every free-text field is
 * masked before sealing, so the log filter finds nothing to change and the hash chain stays verifiable.
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);

    private final AuditChain chain = new AuditChain();
    private final List<AuditSink> sinks;
    private final SensitiveTextMasker masker;

    AuditTrail(LogAuditSink log, RedisStreamAuditSink stream, SensitiveTextMasker masker) {
        List<AuditSink> all = new ArrayList<>();
        all.add(log);
        if (stream.enabled()) {
            all.add(stream);
        }
        this.sinks = List.copyOf(all);
        this.masker = masker;
    }

    /** This instance's chain id: every record it writes carries it. */
    public String instance() {
        return chain.instance();
    }

    /** The record of a request that went through the pipeline. */
    public void record(Exchange exchange, GatewayResponse response) {
        GatewayRequest request = exchange.request();
        Optional<Order> order = exchange.fact(Order.FACT);
        JsonObject record = new JsonObject()
                .put("time", Instant.now().toString())
                .put("correlation_id", masker.mask(exchange.correlationId()))
                .put("caller", exchange.fact(Caller.FACT).map(caller -> masker.mask(caller.id())).orElse(null))
                .put("merchant", exchange.fact(Merchant.FACT).map(Merchant::id).orElse(null))
                .put("operation", request.operation().id())
                .put("token", SensitiveTextMasker.shortToken(masker.mask(request.customerToken())))
                .put("idempotency_key", masker.mask(request.idempotencyKey()));
        decision(record, exchange.rejection().orElse(null), response.status());
        exchange.fact(ShadowMode.VIOLATIONS).ifPresent(violations -> {
            JsonArray shadow = new JsonArray();
            violations.forEach(v -> shadow.add(v.step() + ":" + v.error()));
            record.put("shadow_rejections", shadow);
        });
        exchange.upstreamOutcome().ifPresent(outcome -> {
            record.put("upstream_outcome", outcome.kind().name()).put("provider_acted", outcome.acted().name());
            if (outcome.kind() == UpstreamOutcome.Kind.ANSWERED) {
                record.put("upstream_status", outcome.status());
            }
            record.put("upstream_latency_ms", TimeUnit.NANOSECONDS.toMillis(exchange.upstreamLatencyNanos()));
        });
        order.ifPresent(o -> record.put("order_amount", o.amount()).put("currency", o.currency()));
        String orderId = orderId(exchange, response);
        if (orderId != null) {
            record.put("order_id", masker.mask(orderId));
        }
        response.headers().forEach((name, value) -> {
            if (name.equalsIgnoreCase("Klarna-Correlation-Id")) {
                record.put("klarna_correlation_id", masker.mask(value));
            }
        });
        if (exchange.replayed()) {
            record.put("replayed", true);
        }
        write(record);
    }

    /** The record of a request that never became an operation (unknown path or method, oversized body). */
    public void recordUnmatched(String correlationId, String step, GatewayError error) {
        JsonObject record = new JsonObject()
                .put("time", Instant.now().toString())
                .put("correlation_id", masker.mask(correlationId));
        decision(record, new Rejection(step, error), error.status());
        write(record);
    }

    private static void decision(JsonObject record, Rejection rejection, int status) {
        if (rejection == null) {
            record.put("decision", "allowed");
        } else {
            record.put("decision", "rejected").put("rejected_by", rejection.step()).put("error_code", rejection.error().name());
        }
        record.put("status", status);
    }

    private static String orderId(Exchange exchange, GatewayResponse response) {
        if (exchange.operation() != Operation.CREATE_ORDER || !response.isSuccess() || response.body().length() == 0
                || response.body().length() > 65_536) {
            return null;
        }
        try {
            return new JsonObject(response.body()).getString("order_id");
        } catch (RuntimeException notAnOrder) {
            return null;
        }
    }

    private void write(JsonObject record) {
        String sealed = chain.seal(record);
        for (AuditSink sink : sinks) {
            try {
                sink.write(sealed);
            } catch (RuntimeException e) {
                // The chain is sealed: a sink that failed leaves a gap the verifier will report.
                LOG.errorf("Audit sink %s failed: %s", sink.getClass().getSimpleName(), e.getClass().getSimpleName());
            }
        }
    }
}
