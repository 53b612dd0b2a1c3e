/**
 * The audit verifier ({@code java -jar quarkus-run.jar verify-audit}): reads written trails, recomputes each
 * instance's chain, checks its signed checkpoints against the public keys and, when given Redis, against the
 * checkpoint copies stored there (with its own Redis client, the gateway's settings). Runs without the
 * gateway; depends on the trail's format in {@code audit}, never the other way round.
 */
package io.tokengateway.audit.verify;
