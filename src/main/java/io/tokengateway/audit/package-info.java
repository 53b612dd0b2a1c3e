/**
 * The audit trail (DESIGN.md section 8): one JSON record per request, sealed into a per-instance SHA-256
 * hash chain, written to the {@code audit} logger and optionally a Redis Stream, and a verifier command
 * that finds the first edited, deleted or reordered record.
 */
package io.tokengateway.audit;
