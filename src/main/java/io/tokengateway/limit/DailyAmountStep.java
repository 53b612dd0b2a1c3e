package io.tokengateway.limit;

import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.error.GatewayException;
import io.tokengateway.order.Order;
import io.tokengateway.pipeline.Exchange;
import io.tokengateway.pipeline.GatewayResponse;
import io.tokengateway.pipeline.Operation;
import io.tokengateway.pipeline.PipelineStep;
import io.tokengateway.pipeline.Rejection;
import io.tokengateway.redis.RedisUnavailableException;

/**
 * Step 5b, create-order: the merchant's rolling 24 h total per currency ({@code order-limit.daily-amount}).
 * The amount is reserved atomically before forwarding and given back when the provider definitely did
 * not create the order (it answered with an error, or could not be reached at all). A timeout or a broken
 * answer keeps the reservation: the order may exist. Fails closed when Redis does not answer.
 *
 * <p>Runs after the idempotency claim, so a replayed order is answered before it gets here and is never
 * counted twice, nor rejected by the limit its own first attempt used up.
 */
@ApplicationScoped
public class DailyAmountStep implements PipelineStep {

    private static final Logger LOG = Logger.getLogger(DailyAmountStep.class);

    private final DailyAmountStore store;
    private final LimitPolicies policies;
    private final LimitMetrics metrics;

    DailyAmountStep(DailyAmountStore store, LimitPolicies policies, LimitMetrics metrics) {
        this.store = store;
        this.policies = policies;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "daily-amount";
    }

    @Override
    public Uni<GatewayResponse> onRequest(Exchange exchange) {
        String merchantId = exchange.merchant().id();
        LimitPolicy policy = policies.of(merchantId);
        OptionalLong limit = policy.dailyAmount();
        if (exchange.operation() != Operation.CREATE_ORDER || limit.isEmpty()) {
            return CONTINUE;
        }
        Order order = exchange.order();
        return store.reserve(merchantId, order.currency(), order.amount(), limit.getAsLong(), policy.shadow())
                .onFailure(RedisUnavailableException.class).recoverWithUni(failure -> unavailable(merchantId, policy))
                .map(attempt -> {
                    if (attempt == null) {
                        return null;
                    }
                    long total = attempt.totalBefore() + order.amount();
                    boolean over = total > limit.getAsLong();
                    if (attempt.reserved()) {
                        exchange.amountReservation(attempt.reservation());
                    }
                    if (!over) {
                        metrics.amount(merchantId, "allowed");
                        return null;
                    }
                    metrics.amount(merchantId, policy.shadow() ? "shadow_limited" : "over_daily_amount");
                    ShadowMode.enforce(exchange, policy, name(), new GatewayException(GatewayError.AMOUNT_LIMIT_EXCEEDED,
                            "This order would take the merchant's 24 h total in " + order.currency() + " to " + total
                                    + ", above its daily limit of " + limit.getAsLong() + "."));
                    return null;
                });
    }

    @Override
    public Uni<GatewayResponse> onResponse(Exchange exchange, GatewayResponse response) {
        AmountReservation reservation = exchange.amountReservation();
        if (reservation == null || orderMayExist(exchange)) {
            return Uni.createFrom().item(response);
        }
        String merchantId = exchange.merchant().id();
        return store.refund(reservation)
                .map(refunded -> {
                    metrics.amount(merchantId, "refunded");
                    return response;
                })
                .onFailure().recoverWithItem(failure -> {
                    // The reservation stays: a limit that is too strict for a day is the safe side.
                    LOG.warnf("Could not refund a daily-amount reservation for merchant %s (correlation id %s): %s",
                            merchantId, exchange.correlationId(), failure.getClass().getSimpleName());
                    return response;
                });
    }

    /** True unless the provider definitely did not create the order. */
    static boolean orderMayExist(Exchange exchange) {
        int status = exchange.upstreamStatus();
        if (status != 0) {
            return status < 400;
        }
        Rejection rejection = exchange.rejection();
        return rejection != null && (rejection.error() == GatewayError.UPSTREAM_TIMEOUT
                || rejection.error() == GatewayError.UPSTREAM_ERROR);
    }

    private Uni<DailyAmountStore.Attempt> unavailable(String merchantId, LimitPolicy policy) {
        metrics.amount(merchantId, "unavailable");
        if (policy.shadow()) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().failure(new GatewayException(GatewayError.DEPENDENCY_UNAVAILABLE,
                "The amount limiter is unavailable, so the order was not forwarded; retry later."));
    }
}
