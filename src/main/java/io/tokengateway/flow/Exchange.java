package io.tokengateway.flow;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One request on its way through the pipeline: what was sent, the typed facts each step has established
 * so far (the caller, the merchant, a claimed key...), and how it ended (rejected by a step, answered by
 * the provider, replayed). Later steps, the audit record and metrics read what they need from here.
 *
 * <p>Mutable on purpose, like a filter chain's per-stream state: when a step rejects a request, the
 * facts gathered until then still describe it. An exchange belongs to one request and is handled on
 * that request's event-loop context, one step after another, so it needs no locking.
 */
public final class Exchange {

    private final GatewayRequest request;
    private final long startNanos;
    private final Map<Fact<?>, Object> facts = new IdentityHashMap<>(8);
    private Rejection rejection;
    private UpstreamOutcome upstreamOutcome;
    private long upstreamLatencyNanos;
    private boolean replayed;

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

    /** Records a fact for later steps; a step establishes each of its facts once. */
    public <T> void establish(Fact<T> fact, T value) {
        if (value == null) {
            throw new IllegalArgumentException("a fact has a value: " + fact);
        }
        facts.put(fact, value);
    }

    /** The fact, when a step established it. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> fact(Fact<T> fact) {
        return Optional.ofNullable((T) facts.get(fact));
    }

    /** A fact an earlier step must have established (the merchant, after authorization): its absence is a wiring bug. */
    @SuppressWarnings("unchecked")
    public <T> T require(Fact<T> fact) {
        T value = (T) facts.get(fact);
        if (value == null) {
            throw new IllegalStateException("no step established " + fact + " before it was needed");
        }
        return value;
    }

    /** The step that turned the request away, if one did. */
    public Optional<Rejection> rejection() {
        return Optional.ofNullable(rejection);
    }

    public void rejection(Rejection rejection) {
        this.rejection = rejection;
    }

    /** How the forward to the provider ended; empty when the request was never forwarded. */
    public Optional<UpstreamOutcome> upstreamOutcome() {
        return Optional.ofNullable(upstreamOutcome);
    }

    /** Set by the forward step, once per request, with the time the whole forward took. */
    public void upstreamOutcome(UpstreamOutcome outcome, long latencyNanos) {
        if (upstreamOutcome != null) {
            throw new IllegalStateException("a request is forwarded once: its outcome is already decided");
        }
        this.upstreamOutcome = outcome;
        this.upstreamLatencyNanos = latencyNanos;
    }

    /** How long the forward took, retries included; 0 when the request was never forwarded. */
    public long upstreamLatencyNanos() {
        return upstreamLatencyNanos;
    }

    /** Whether the answer is a stored one, replayed for an idempotency key already answered. */
    public boolean replayed() {
        return replayed;
    }

    public void markReplayed() {
        this.replayed = true;
    }
}
