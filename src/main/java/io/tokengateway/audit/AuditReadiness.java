package io.tokengateway.audit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while the audit sink fails: an instance that cannot write its trail should get no traffic. */
@Readiness
@ApplicationScoped
public class AuditReadiness implements HealthCheck {

    private final AuditService audit;

    AuditReadiness(AuditService audit) {
        this.audit = audit;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("audit-trail")
                .status(audit.accepting())
                .withData("sink", audit.sinkName())
                .build();
    }
}
