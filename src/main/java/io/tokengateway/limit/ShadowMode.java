package io.tokengateway.limit;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.Rejection;
import io.tokengateway.flow.ShadowRejections;
import io.tokengateway.flow.StepResult;
import io.tokengateway.merchant.Merchant;

/**
 * Where a limit says no: enforced, or, for a merchant in shadow mode, recorded on the exchange
 * ({@link ShadowRejections}, for the audit record), logged and let through, so a new limit can be tried on live traffic.
 */
public final class ShadowMode {

    private static final Logger LOG = Logger.getLogger(ShadowMode.class);

    private ShadowMode() {}

    /** {@code violation}, or, in shadow mode, {@link StepResult#CONTINUE} with the violation recorded. */
    static StepResult enforce(Exchange exchange, LimitPolicy policy, String step, StepResult.Reject violation) {
        if (!policy.shadow()) {
            return violation;
        }
        List<Rejection> violations = exchange.fact(ShadowRejections.FACT).orElseGet(() -> {
            List<Rejection> fresh = new ArrayList<>(2);
            exchange.establish(ShadowRejections.FACT, fresh);
            return fresh;
        });
        violations.add(new Rejection(step, violation.error()));
        LOG.infof(
                "Shadow mode: merchant %s would have been rejected by %s with %s (correlation id %s)",
                exchange.require(Merchant.FACT).id(), step, violation.error(), exchange.correlationId());
        return StepResult.CONTINUE;
    }
}
