package io.tokengateway.audit;

/** Where sealed audit records go. Writing must never block the event loop nor fail the request. */
public interface AuditSink {

    void write(String sealedRecord);
}
