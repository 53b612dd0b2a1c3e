package io.tokengateway.audit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while this replica's own audit sink (stdout, file) fails, whatever {@code gateway.audit.on-failure}
 * says: it cannot write its trail, another replica can (with {@code continue} it would otherwise go on serving
 * unaudited while healthy replicas could audit). A {@code redis-stream} sink fails for every replica alike, like Redis itself: reported in the
 * details, while each request is answered 503 {@code DEPENDENCY_UNAVAILABLE}, and the replica stays in the
 * Service, also when it is down before this replica's first record (a rollout or a scale-up while Redis is out must
 * not empty the Service: callers get a 503 in the provider's shape, not a refused connection). An own sink is not
 * ready before the trail's {@code start} record reached it (a sink that has not proved it works); no sink is once
 * the writer is closed (shutdown: a record would fail).
 */
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
                .status(!audit.closed() && (!audit.ownSink() || (audit.open() && audit.writing())))
                .withData("sink", audit.sinkName())
                .withData("open", audit.open())
                .withData("writing", audit.writing())
                .build();
    }
}
