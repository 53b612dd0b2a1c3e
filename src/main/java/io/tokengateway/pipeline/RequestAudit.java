package io.tokengateway.pipeline;

import io.smallrye.mutiny.Uni;
import io.tokengateway.flow.Exchange;
import io.tokengateway.flow.GatewayResponse;

/** Where the runner writes each request's one record: the answer leaves only once its record is written. */
public interface RequestAudit {

    /** Whether records are being written; when not, a request must not act. */
    boolean accepting();

    /** Completes once the record is written; fails when it could not be and the policy is to reject. */
    Uni<Void> record(Exchange exchange, GatewayResponse response);
}
