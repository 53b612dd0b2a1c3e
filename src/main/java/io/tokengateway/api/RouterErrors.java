package io.tokengateway.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.tokengateway.audit.AuditTrail;
import io.tokengateway.error.GatewayError;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Requests the HTTP layer itself refuses before any resource sees them (an invalid percent-encoding or
 * character in the path, say) are answered in the provider's error shape and audited like every other
 * request, instead of a bare status.
 */
@ApplicationScoped
public class RouterErrors {

    private final AuditTrail audit;

    RouterErrors(AuditTrail audit) {
        this.audit = audit;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::answer);
    }

    private void answer(RoutingContext context) {
        int status = context.statusCode();
        if (context.response().ended() || context.response().headWritten() || status < 400 || status >= 500) {
            context.next();
            return;
        }
        GatewayError error = status == 404 ? GatewayError.NOT_FOUND
                : status == 413 ? GatewayError.PAYLOAD_TOO_LARGE : GatewayError.BAD_REQUEST;
        String correlationId = TokenResource.correlationIdFor(context.request().getHeader(TokenResource.CORRELATION_ID));
        audit.recordUnmatched(correlationId, "route", error).subscribe().with(
                flushed -> DirectAnswer.send(context.response(), error, "The request could not be read.", correlationId),
                notWritten -> DirectAnswer.auditUnavailable(context.response(), correlationId));
    }
}
