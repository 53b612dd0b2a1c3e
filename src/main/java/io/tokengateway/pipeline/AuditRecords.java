package io.tokengateway.pipeline;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.tokengateway.audit.AuditService;
import io.tokengateway.audit.AuditUnavailableException;
import io.tokengateway.auth.Caller;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayRequest;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.Operation;
import io.tokengateway.flow.PolicyVersion;
import io.tokengateway.flow.Rejection;
import io.tokengateway.flow.ShadowRejections;
import io.tokengateway.flow.UpstreamOutcome;
import io.tokengateway.masking.SensitiveTextMasker;
import io.tokengateway.merchant.Merchant;
import io.tokengateway.order.Order;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Builds exactly one audit record per request from the request's facts, here where they are known: time,
 * correlation id, caller, merchant, operation, masked token, idempotency key, decision (allowed, or the
 * rejecting step and its error code, plus what shadow mode let through), status, upstream status and latency,
 * order amount and currency, the provider's {@code order_id} and {@code Klarna-Correlation-Id}. Every
 * free-text field is masked here, when the record is built: nothing rewrites it once the {@link AuditService}
 * has sealed it. Each method returns once the record is flushed to the sink, so the caller answers only then.
 */
@Singleton
class AuditRecords implements RequestAudit {

    private final AuditService service;
    private final SensitiveTextMasker masker;

    AuditRecords(AuditService service, SensitiveTextMasker masker) {
        this.service = service;
        this.masker = masker;
    }

    /** Whether records are being written; when not, a request must not act (503 DEPENDENCY_UNAVAILABLE). */
    @Override
    public boolean accepting() {
        return service.accepting();
    }

    /**
     * The record of a request that went through the pipeline. Completes once it is flushed; fails with
     * {@link AuditUnavailableException} when it could not be written and the policy is to reject.
     */
    @Override
    public Uni<Void> record(Exchange exchange, GatewayResponse response) {
        GatewayRequest request = exchange.request();
        Optional<Order> order = exchange.fact(Order.FACT);
        JsonObject record = new JsonObject()
                .put("time", Instant.now().toString())
                .put("correlation_id", masker.mask(exchange.correlationId()))
                .put(
                        "caller",
                        exchange.fact(Caller.FACT)
                                .map(caller -> masker.mask(caller.id()))
                                .orElse(null))
                .put("merchant", exchange.fact(Merchant.FACT).map(Merchant::id).orElse(null))
                .put("operation", request.operation().id())
                .put(
                        "policy_version",
                        exchange.fact(PolicyVersion.FACT)
                                .map(PolicyVersion::value)
                                .orElse(null))
                .put("token", SensitiveTextMasker.shortToken(masker.mask(request.customerToken())))
                .put("idempotency_key", masker.mask(request.idempotencyKey()));
        decision(record, exchange.rejection().orElse(null), response.status());
        exchange.fact(ShadowRejections.FACT).ifPresent(violations -> {
            JsonArray shadow = new JsonArray();
            violations.forEach(v -> shadow.add(v.step() + ":" + v.error()));
            record.put("shadow_rejections", shadow);
        });
        exchange.upstreamOutcome().ifPresent(outcome -> {
            record.put("upstream_outcome", outcome.kind().name())
                    .put("provider_acted", outcome.acted().name());
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
        record.put("latency_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - exchange.startNanos()));
        return service.append(record);
    }

    /** The record of a request that never became an operation (unknown path or method, oversized body). */
    Uni<Void> recordUnmatched(String correlationId, String step, GatewayError error) {
        JsonObject record = new JsonObject()
                .put("time", Instant.now().toString())
                .put("correlation_id", masker.mask(correlationId));
        decision(record, new Rejection(step, error), error.status());
        return service.append(record);
    }

    private static void decision(JsonObject record, Rejection rejection, int status) {
        if (rejection == null) {
            record.put("decision", "allowed");
        } else {
            record.put("decision", "rejected")
                    .put("rejected_by", rejection.step())
                    .put("error_code", rejection.error().name());
        }
        record.put("status", status);
    }

    private static String orderId(Exchange exchange, GatewayResponse response) {
        if (exchange.operation() != Operation.CREATE_ORDER
                || !response.isSuccess()
                || response.body().length() == 0
                || response.body().length() > 65_536) {
            return null;
        }
        try {
            return new JsonObject(response.body()).getString("order_id");
        } catch (RuntimeException notAnOrder) {
            return null;
        }
    }
}
