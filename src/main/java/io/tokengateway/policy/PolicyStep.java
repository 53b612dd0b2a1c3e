package io.tokengateway.policy;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.tokengateway.auth.CallerPolicy;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.Fact;
import io.tokengateway.flow.GatewayResponse;
import io.tokengateway.flow.PolicyVersion;
import io.tokengateway.flow.Step;
import io.tokengateway.flow.StepResult;
import io.tokengateway.limit.LimitPolicies;
import io.tokengateway.merchant.MerchantRegistry;

/**
 * The first step: the request takes the current policy and keeps it to its end, whatever changes meanwhile
 * (DESIGN.md 9a). Every later step reads the policy from the facts established here (callers, merchants, limits,
 * version), never from a shared reference that could change under it. On the way out, the last of all, the policy
 * is let go, so that a replaced one's resources (provider clients) are closed once no request uses them.
 */
@Singleton
public class PolicyStep implements Step {

    static final Fact<PolicyHolder<Policy>.Lease> LEASE = new Fact<>("policy-lease");

    private final PolicyHolder<Policy> holder;

    @Inject
    PolicyStep(LivePolicy live) {
        this(live.holder());
    }

    PolicyStep(PolicyHolder<Policy> holder) {
        this.holder = holder;
    }

    @Override
    public String name() {
        return "policy";
    }

    @Override
    public Uni<StepResult> onRequest(Exchange exchange) {
        PolicyHolder<Policy>.Lease lease = holder.acquire();
        Policy policy = lease.policy();
        exchange.establish(LEASE, lease);
        exchange.establish(PolicyVersion.FACT, new PolicyVersion(policy.version()));
        exchange.establish(CallerPolicy.FACT, policy.callers());
        exchange.establish(MerchantRegistry.FACT, policy.merchants());
        exchange.establish(LimitPolicies.FACT, policy.limits());
        return StepResult.proceed();
    }

    @Override
    public Uni<GatewayResponse> onResponse(Exchange exchange, GatewayResponse response) {
        exchange.fact(LEASE).ifPresent(PolicyHolder.Lease::release);
        return Uni.createFrom().item(response);
    }
}
