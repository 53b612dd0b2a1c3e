package io.tokengateway.limit;

import org.jboss.logging.Logger;

import io.tokengateway.error.GatewayException;
import io.tokengateway.pipeline.Exchange;
import io.tokengateway.pipeline.Rejection;

/**
 * Where a limit says no: enforced, or, for a merchant in shadow mode, recorded on the exchange (for the
 * audit record), logged and let through, so a new limit can be tried on live traffic.
 */
final class ShadowMode {

    private static final Logger LOG = Logger.getLogger(ShadowMode.class);

    private ShadowMode() {
    }

    /** Throws {@code violation}, unless the policy is in shadow mode. */
    static void enforce(Exchange exchange, LimitPolicy policy, String step, GatewayException violation) {
        if (!policy.shadow()) {
            throw violation;
        }
        exchange.shadowViolation(new Rejection(step, violation.error()));
        LOG.infof("Shadow mode: merchant %s would have been rejected by %s with %s (correlation id %s)",
                exchange.merchant().id(), step, violation.error(), exchange.correlationId());
    }
}
