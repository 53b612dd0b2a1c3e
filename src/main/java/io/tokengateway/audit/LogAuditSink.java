package io.tokengateway.audit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

/**
 * The primary sink: the {@code audit} logger category, one JSON record per line, routed by configuration
 * to its own handler (stdout by default, a file in tests), with the masking filter like every handler.
 */
@ApplicationScoped
public class LogAuditSink implements AuditSink {

    private static final Logger AUDIT = Logger.getLogger("audit");

    @Override
    public void write(String sealedRecord) {
        AUDIT.info(sealedRecord);
    }
}
