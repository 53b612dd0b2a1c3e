package io.tokengateway.audit;

/** A record could not be written and the policy is to reject: the request must be answered 503, unaudited work refused. */
public final class AuditUnavailableException extends RuntimeException {

    public AuditUnavailableException() {
        super("The gateway cannot write its audit trail.", null, false, false);
    }
}
