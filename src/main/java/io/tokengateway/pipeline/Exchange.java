package io.tokengateway.pipeline;

import io.tokengateway.auth.Caller;
import java.util.ArrayList;
import java.util.List;

import io.tokengateway.idempotency.IdempotencyClaim;
import io.tokengateway.limit.AmountReservation;
import io.tokengateway.limit.RateDecision;
import io.tokengateway.merchant.Merchant;
import io.tokengateway.order.Order;

/**
 * One request on its way through the pipeline: what was sent, and what each step has established
 * so far. Steps write the facts they own (the authenticate step the caller, the authorize step the
 * merchant, ...); later steps, the audit record and the response path read them.
 *
 * <p>Mutable on purpose, like a filter chain's per-stream state: when a step rejects a request, the
 * facts gathered until then still describe it. An exchange is confined to one request and its
 * event-loop thread, so it needs no synchronisation.
 */
public final class Exchange {

    private final GatewayRequest request;
    private final long startNanos;
    private Caller caller;
    private Merchant merchant;
    private Order order;
    private RateDecision rateDecision;
    private AmountReservation amountReservation;
    private IdempotencyClaim idempotencyClaim;
    private List<Rejection> shadowViolations = List.of();
    private int upstreamStatus;
    private long upstreamLatencyNanos;
    private Rejection rejection;

    public Exchange(GatewayRequest request, long startNanos) {
        this.request = request;
        this.startNanos = startNanos;
    }

    public GatewayRequest request() {
        return request;
    }

    public Operation operation() {
        return request.operation();
    }

    public String correlationId() {
        return request.correlationId();
    }

    public long startNanos() {
        return startNanos;
    }

    /** The authenticated caller; null before the authenticate step succeeded. */
    public Caller caller() {
        return caller;
    }

    public void caller(Caller caller) {
        this.caller = caller;
    }

    /** The merchant the request acts for; null before the authorize step succeeded. */
    public Merchant merchant() {
        return merchant;
    }

    public void merchant(Merchant merchant) {
        this.merchant = merchant;
    }

    /** The validated order of a create-order request; null otherwise or before validation. */
    public Order order() {
        return order;
    }

    public void order(Order order) {
        this.order = order;
    }

    /** The request-rate check's outcome; null before the check or when the limiter was bypassed. */
    public RateDecision rateDecision() {
        return rateDecision;
    }

    public void rateDecision(RateDecision decision) {
        this.rateDecision = decision;
    }

    /** The order amount this request reserved against the daily limit; null when none. */
    public AmountReservation amountReservation() {
        return amountReservation;
    }

    public void amountReservation(AmountReservation reservation) {
        this.amountReservation = reservation;
    }

    /** Limits that would have rejected the request, had the merchant not been in shadow mode. */
    public List<Rejection> shadowViolations() {
        return shadowViolations;
    }

    public void shadowViolation(Rejection violation) {
        if (shadowViolations.isEmpty()) {
            shadowViolations = new ArrayList<>(2);
        }
        shadowViolations.add(violation);
    }

    /** The idempotency key this request holds in Redis; null when it holds none. */
    public IdempotencyClaim idempotencyClaim() {
        return idempotencyClaim;
    }

    public void idempotencyClaim(IdempotencyClaim claim) {
        this.idempotencyClaim = claim;
    }

    /** The status the provider answered with; 0 when it gave no answer (not called, unreachable, timed out). */
    public int upstreamStatus() {
        return upstreamStatus;
    }

    public void upstreamStatus(int status) {
        this.upstreamStatus = status;
    }

    /** How long the provider took to answer; 0 when it gave no answer. */
    public long upstreamLatencyNanos() {
        return upstreamLatencyNanos;
    }

    public void upstreamLatencyNanos(long nanos) {
        this.upstreamLatencyNanos = nanos;
    }

    /** Null when no step rejected the request. */
    public Rejection rejection() {
        return rejection;
    }

    void rejection(Rejection rejection) {
        this.rejection = rejection;
    }
}
