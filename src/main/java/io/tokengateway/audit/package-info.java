/**
 * The audit trail, a subsystem of its own rather than a logger category: it takes each record as a JSON
 * object built and masked by its caller ({@link io.tokengateway.audit.AuditService#append}; the request
 * record is built in {@code pipeline}, where the request's facts are), seals it into a per-instance SHA-256
 * chain and writes it in batches by one {@link io.tokengateway.audit.AuditWriter} thread to the configured
 * sink (stdout, file, Redis Stream); signed Ed25519 checkpoints, also stored in Redis; readiness that goes
 * down when the sink fails. It knows no request concern (caller, merchant, order, limits). The verifier
 * lives in {@code audit.verify}.
 */
package io.tokengateway.audit;
