package io.tokengateway.auth;

import java.util.Optional;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.tokengateway.error.GatewayError;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.Step;
import io.tokengateway.flow.StepResult;
import io.tokengateway.merchant.Merchant;
import io.tokengateway.merchant.MerchantRegistry;

/**
 * Authorization: may this caller do this? Chooses the merchant ({@code X-Merchant-Id}, or the caller's only
 * merchant) and checks the caller's grant for that merchant and the operation, under the policy the request runs
 * under (its {@link CallerPolicy#FACT} and {@link MerchantRegistry#FACT}). Default deny.
 */
@Singleton
public class AuthorizeStep implements Step {

    public AuthorizeStep() {}

    @Override
    public String name() {
        return "authorize";
    }

    @Override
    public Uni<StepResult> onRequest(Exchange exchange) {
        return Uni.createFrom().item(decide(exchange));
    }

    private StepResult decide(Exchange exchange) {
        Caller caller = exchange.require(Caller.FACT);
        Optional<CallerGrant> found = exchange.require(CallerPolicy.FACT).grantFor(caller);
        if (found.isEmpty()) {
            return forbidden("Caller '" + caller.id() + "' is not allowed to use the gateway.");
        }
        CallerGrant grant = found.get();
        String merchantId = exchange.request().merchantId();
        if (merchantId == null) {
            if (grant.merchants().size() != 1) {
                return new StepResult.Reject(
                        GatewayError.MERCHANT_REQUIRED,
                        "X-Merchant-Id is required: the caller may act for several merchants.");
            }
            merchantId = grant.merchants().iterator().next();
        }
        if (!grant.merchants().contains(merchantId)) {
            return forbidden("Caller '" + caller.id() + "' may not act for merchant '" + merchantId + "'.");
        }
        if (!grant.operations().contains(exchange.operation())) {
            return forbidden("Caller '" + caller.id() + "' may not call "
                    + exchange.operation().id() + ".");
        }
        Optional<Merchant> merchant = exchange.require(MerchantRegistry.FACT).find(merchantId);
        if (merchant.isEmpty()) {
            return forbidden("Merchant '" + merchantId + "' is not configured.");
        }
        exchange.establish(Merchant.FACT, merchant.get());
        return StepResult.CONTINUE;
    }

    private static StepResult.Reject forbidden(String message) {
        return new StepResult.Reject(GatewayError.FORBIDDEN, message);
    }
}
