/**
 * The audit trail, a subsystem of its own rather than a logger category: one JSON record per request,
 * built and masked by {@link io.tokengateway.audit.AuditTrail}, sealed into a per-instance SHA-256 chain
 * and written in batches by one {@link io.tokengateway.audit.AuditWriter} thread to the configured sink
 * (stdout, file, Redis Stream); signed Ed25519 checkpoints, also stored in Redis; readiness that goes down
 * when the sink fails; and the verifier ({@code java -jar quarkus-run.jar verify-audit}).
 */
package io.tokengateway.audit;
