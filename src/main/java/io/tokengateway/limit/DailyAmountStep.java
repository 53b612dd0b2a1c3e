package io.tokengateway.limit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.tokengateway.config.GatewayConfig;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Admission;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayRequest;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.Operation;
import io.tokengateway.flow.PartOutcome;
import io.tokengateway.flow.RoundParticipant;
import io.tokengateway.flow.ScriptCall;
import io.tokengateway.flow.ScriptPart;
import io.tokengateway.flow.StepResult;
import io.tokengateway.flow.UpstreamOutcome;
import io.tokengateway.flow.UpstreamOutcome.Acted;
import io.tokengateway.merchant.Merchant;
import io.tokengateway.order.Order;
import io.tokengateway.redis.RedisFaultException;
import io.tokengateway.redis.RedisUnavailableException;

/**
 * Daily amount, create-order: the merchant's rolling 24 h total per currency ({@code order-limit.daily-amount}).
 * The amount is reserved atomically before forwarding (its part of the admission round) and settled by the
 * upstream outcome (in the settlement round): kept when the
 * provider created the order or may have (a 5xx, a timeout, a dropped connection), given back when it
 * definitely did not (a definite refusal, a 429, nothing sent, or never forwarded at all). With an
 * idempotency key the reservation belongs to merchant + key, so a retry after an unknown outcome reuses it
 * and the key's definite outcome settles it. Fails closed when Redis is unavailable.
 *
 * <p>Runs after the idempotency claim, so a replayed order is answered before it gets here and is never
 * counted twice, nor rejected by the limit its own first attempt used up.
 */
@Singleton
public class DailyAmountStep implements RoundParticipant {

    private static final Logger LOG = Logger.getLogger(DailyAmountStep.class);

    private final DailyAmountStore store;
    private final LimitMetrics metrics;
    private final Duration reservationLifetime;

    DailyAmountStep(DailyAmountStore store, LimitMetrics metrics, GatewayConfig config) {
        this.store = store;
        this.metrics = metrics;
        this.reservationLifetime = config.idempotency().retention();
    }

    @Override
    public String name() {
        return "daily-amount";
    }

    @Override
    public List<ScriptPart> scriptParts() {
        return List.of(DailyAmountStore.RESERVE, DailyAmountStore.REFUND);
    }

    /** A create-order of a merchant with a daily amount limit: the policy and its limit. */
    private record Limited(String merchantId, LimitPolicy policy, long limit) {}

    /** Whether the daily amount limit applies to this request. */
    private Optional<Limited> limited(Exchange exchange) {
        String merchantId = exchange.require(Merchant.FACT).id();
        LimitPolicy policy = LimitPolicies.forMerchant(exchange, merchantId);
        OptionalLong limit = policy.dailyAmount();
        if (exchange.operation() != Operation.CREATE_ORDER || limit.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Limited(merchantId, policy, limit.getAsLong()));
    }

    @Override
    public Optional<ScriptCall> admission(Exchange exchange) {
        return limited(exchange).map(limited -> {
            Order order = exchange.require(Order.FACT);
            GatewayRequest request = exchange.request();
            return store.reserve(
                    limited.merchantId(),
                    order.currency(),
                    order.amount(),
                    limited.limit(),
                    limited.policy().shadow(),
                    Optional.ofNullable(request.idempotencyKey()),
                    request.fingerprint(),
                    reservationLifetime);
        });
    }

    @Override
    public Uni<StepResult> onRequest(Exchange exchange) {
        Optional<Limited> applies = limited(exchange);
        if (applies.isEmpty()) {
            return StepResult.proceed();
        }
        Limited limited = applies.get();
        Order order = exchange.require(Order.FACT);
        return store.reserved(exchange)
                .map(attempt -> decide(exchange, limited.policy(), order, limited.limit(), attempt))
                .onFailure(RedisUnavailableException.class)
                .recoverWithItem(() -> unavailable(limited.merchantId(), limited.policy()))
                .onFailure(RedisFaultException.class)
                .recoverWithItem(StepResult::internalError);
    }

    private StepResult decide(
            Exchange exchange, LimitPolicy policy, Order order, long limit, DailyAmountStore.Attempt attempt) {
        String merchantId = exchange.require(Merchant.FACT).id();
        if (attempt.reserved()) {
            exchange.establish(AmountReservation.FACT, attempt.reservation());
        }
        if (attempt.reservation().reused()) {
            metrics.amount(merchantId, "reused");
            return StepResult.CONTINUE; // counted once, by the key's first attempt
        }
        long total = attempt.totalBefore() + order.amount();
        if (total <= limit) {
            metrics.amount(merchantId, "allowed");
            return StepResult.CONTINUE;
        }
        metrics.amount(merchantId, policy.shadow() ? "shadow_limited" : "over_daily_amount");
        return ShadowMode.enforce(
                exchange,
                policy,
                name(),
                new StepResult.Reject(
                        GatewayError.AMOUNT_LIMIT_EXCEEDED,
                        "This order would take the merchant's 24 h total in " + order.currency() + " to " + total
                                + ", above its daily limit of " + limit + "."));
    }

    /**
     * The refund, when the outcome gives the amount back; kept otherwise. A reservation the admission round made
     * for a step that never ran (a step before it refused) is settled as never forwarded.
     */
    @Override
    public Optional<ScriptCall> settlement(Exchange exchange, GatewayResponse response) {
        Optional<AmountReservation> reservation = exchange.fact(AmountReservation.FACT)
                .or(() -> exchange.fact(Admission.FACT).flatMap(store::reservationIn));
        if (reservation.isEmpty()) {
            return Optional.empty();
        }
        if (!settledBy(exchange, reservation.get())) {
            boolean committed =
                    exchange.upstreamOutcome().map(UpstreamOutcome::isSuccess).orElse(false);
            metrics.amount(exchange.require(Merchant.FACT).id(), committed ? "committed" : "kept_outcome_unknown");
            return Optional.empty();
        }
        return Optional.of(store.refund(reservation.get()));
    }

    @Override
    public void settled(Exchange exchange, PartOutcome outcome) {
        String merchantId = exchange.require(Merchant.FACT).id();
        if (outcome instanceof PartOutcome.Replied replied) {
            metrics.amount(merchantId, store.refunded(replied.reply()) ? "refunded" : "refund_found_nothing");
            return;
        }
        // The reservation stays: a limit that is too strict for a day is the safe side.
        metrics.amount(merchantId, "refund_failed");
        LOG.warnf(
                "Could not refund a daily-amount reservation for merchant %s (correlation id %s): %s",
                merchantId,
                exchange.correlationId(),
                outcome instanceof PartOutcome.Failed failed
                        ? failed.failure().getClass().getSimpleName()
                        : "not run");
    }

    /**
     * Whether this request's outcome gives the amount back. A request never forwarded (a later step refused,
     * the gateway failed first) and an outcome where the provider did not act refund a reservation of its
     * own; a reservation reused from an earlier attempt of the key, which may have created the order, is
     * given back only on the provider's definite refusal of the key.
     */
    private static boolean settledBy(Exchange exchange, AmountReservation reservation) {
        Optional<UpstreamOutcome> outcome = exchange.upstreamOutcome();
        if (reservation.reused()) {
            return outcome.map(o -> o.isDefinite() && o.acted() == Acted.NO).orElse(false);
        }
        return outcome.map(o -> o.acted() == Acted.NO).orElse(true);
    }

    private StepResult unavailable(String merchantId, LimitPolicy policy) {
        metrics.amount(merchantId, "unavailable");
        if (policy.shadow()) {
            return StepResult.CONTINUE;
        }
        return new StepResult.Reject(
                GatewayError.DEPENDENCY_UNAVAILABLE,
                "The amount limiter is unavailable, so the order was not forwarded; retry later.");
    }
}
