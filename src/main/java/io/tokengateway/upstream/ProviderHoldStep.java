package io.tokengateway.upstream;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Admission;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.PartOutcome;
import io.tokengateway.flow.RoundParticipant;
import io.tokengateway.flow.ScriptCall;
import io.tokengateway.flow.ScriptPart;
import io.tokengateway.flow.StepResult;
import io.tokengateway.flow.UpstreamOutcome;
import io.tokengateway.merchant.Merchant;
import io.tokengateway.metrics.CounterFamily;
import io.tokengateway.redis.RedisFaultException;
import io.tokengateway.redis.RedisUnavailableException;

/**
 * Provider back-pressure, shared by every replica: when the provider answers 429 for a merchant, the merchant is
 * held in Redis ({@code tg:hold:{merchant}}, expiring on Redis server time) until the provider's
 * {@code Retry-After} has passed ({@link ProviderRetryAfter}); meanwhile its requests get 429
 * {@code UPSTREAM_RATE_LIMITED} with the time left, and the provider is not called. The hold is read as the first
 * part of the admission round, so a held request uses no rate budget, key or amount; it is written in the
 * settlement round of the request that got the 429 (a round that request has anyway when it claimed a key or
 * reserved an amount, one more round trip for a read, only on a 429). Advisory: when Redis is unavailable the
 * request goes on (the provider would answer 429 again); a Redis fault is a 500, as for every step.
 *
 * <p>{@code gateway_provider_holds_total{merchant,event}}: {@code set}, {@code rejected}, {@code unavailable}.
 */
@Singleton
public class ProviderHoldStep implements RoundParticipant {

    private static final Logger LOG = Logger.getLogger(ProviderHoldStep.class);

    static final ScriptPart CHECK = ScriptPart.load("io/tokengateway/upstream/provider_hold.lua");
    static final ScriptPart SET = ScriptPart.load("io/tokengateway/upstream/provider_hold_set.lua");

    private final CounterFamily holds;
    private final Clock clock;

    @Inject
    ProviderHoldStep(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    ProviderHoldStep(MeterRegistry registry, Clock clock) {
        this.holds = new CounterFamily(registry, "gateway.provider_holds", "merchant", "event");
        this.clock = clock;
    }

    @Override
    public String name() {
        return "provider-hold";
    }

    @Override
    public List<ScriptPart> scriptParts() {
        return List.of(CHECK, SET);
    }

    @Override
    public Optional<ScriptCall> admission(Exchange exchange) {
        return Optional.of(new ScriptCall(CHECK, List.of(key(exchange)), List.of()));
    }

    @Override
    public Uni<StepResult> onRequest(Exchange exchange) {
        String merchantId = exchange.require(Merchant.FACT).id();
        return exchange.require(Admission.FACT)
                .reply(CHECK)
                .map(reply -> decide(merchantId, reply.toLong()))
                .onFailure(RedisUnavailableException.class)
                .recoverWithItem(() -> {
                    holds.counter(merchantId, "unavailable").increment();
                    return StepResult.CONTINUE;
                })
                .onFailure(RedisFaultException.class)
                .recoverWithItem(StepResult::internalError);
    }

    private StepResult decide(String merchantId, long leftMillis) {
        if (leftMillis <= 0) {
            return StepResult.CONTINUE;
        }
        holds.counter(merchantId, "rejected").increment();
        long seconds = Math.max(1, (leftMillis + 999) / 1000);
        return new StepResult.Reject(
                GatewayError.UPSTREAM_RATE_LIMITED,
                List.of("The provider is rate limiting this merchant; retry after " + seconds + " s."),
                Map.of("Retry-After", Long.toString(seconds)));
    }

    /** A provider 429 (not one of the gateway's own) holds the merchant for its {@code Retry-After}. */
    @Override
    public Optional<ScriptCall> settlement(Exchange exchange, GatewayResponse response) {
        Optional<UpstreamOutcome> outcome = exchange.upstreamOutcome();
        if (outcome.isEmpty()
                || outcome.get().kind() != UpstreamOutcome.Kind.ANSWERED
                || outcome.get().status() != 429
                || response.status() != 429) {
            return Optional.empty();
        }
        Duration hold = ProviderRetryAfter.holdOf(response.headers(), clock.instant());
        return Optional.of(new ScriptCall(SET, List.of(key(exchange)), List.of(Long.toString(hold.toMillis()))));
    }

    @Override
    public void settled(Exchange exchange, PartOutcome outcome) {
        String merchantId = exchange.require(Merchant.FACT).id();
        if (outcome instanceof PartOutcome.Replied) {
            holds.counter(merchantId, "set").increment();
        } else if (outcome instanceof PartOutcome.Failed failed && failed.failure() instanceof RedisFaultException) {
            // A fault (a script error, NOPERM from an ACL that lacks a command) is a bug to fix, not an outage.
            holds.counter(merchantId, "fault").increment();
            LOG.errorf(
                    "Holding merchant %s after the provider's 429 failed with a Redis fault (correlation id %s)",
                    merchantId, exchange.correlationId());
        } else {
            holds.counter(merchantId, "unavailable").increment();
            LOG.warnf(
                    "Could not hold merchant %s after the provider's 429 (correlation id %s): other replicas "
                            + "will call the provider until it answers 429 to them too",
                    merchantId, exchange.correlationId());
        }
    }

    private static String key(Exchange exchange) {
        return "tg:hold:{" + exchange.require(Merchant.FACT).id() + "}";
    }
}
