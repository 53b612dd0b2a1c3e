package io.tokengateway.auth;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.error.GatewayException;
import io.tokengateway.merchant.Merchant;
import io.tokengateway.merchant.MerchantRegistry;
import io.tokengateway.pipeline.Exchange;
import io.tokengateway.pipeline.GatewayResponse;
import io.tokengateway.pipeline.PipelineStep;

/**
 * Step 2: may this caller do this? Chooses the merchant ({@code X-Merchant-Id}, or the caller's only
 * merchant) and checks the caller's grant for that merchant and the operation. Default deny.
 */
@ApplicationScoped
public class AuthorizeStep implements PipelineStep {

    private final CallerPolicy policy;
    private final MerchantRegistry merchants;

    AuthorizeStep(CallerPolicy policy, MerchantRegistry merchants) {
        this.policy = policy;
        this.merchants = merchants;
    }

    @Override
    public String name() {
        return "authorize";
    }

    @Override
    public Uni<GatewayResponse> onRequest(Exchange exchange) {
        Caller caller = exchange.caller();
        CallerGrant grant = policy.grantFor(caller)
                .orElseThrow(() -> forbidden("Caller '" + caller.id() + "' is not allowed to use the gateway."));
        String merchantId = chooseMerchant(exchange.request().merchantId(), grant);
        if (!grant.merchants().contains(merchantId)) {
            throw forbidden("Caller '" + caller.id() + "' may not act for merchant '" + merchantId + "'.");
        }
        if (!grant.operations().contains(exchange.operation())) {
            throw forbidden("Caller '" + caller.id() + "' may not call " + exchange.operation().id() + ".");
        }
        Merchant merchant = merchants.find(merchantId)
                .orElseThrow(() -> forbidden("Merchant '" + merchantId + "' is not configured."));
        exchange.merchant(merchant);
        return CONTINUE;
    }

    private static String chooseMerchant(String requested, CallerGrant grant) {
        if (requested != null) {
            return requested;
        }
        if (grant.merchants().size() == 1) {
            return grant.merchants().iterator().next();
        }
        throw new GatewayException(GatewayError.MERCHANT_REQUIRED,
                "X-Merchant-Id is required: the caller may act for several merchants.");
    }

    private static GatewayException forbidden(String message) {
        return new GatewayException(GatewayError.FORBIDDEN, message);
    }
}
