/**
 * A simulator of the provider's Customer Token API, for dev mode, tests and benchmarks: Basic auth,
 * token statuses, {@code TOKEN_NOT_FOUND} / {@code TOKEN_CANCELLED}, its own idempotency-key handling,
 * a journal of received requests and injectable faults. Off unless {@code gateway.sandbox.enabled=true}.
 */
package io.tokengateway.sandbox;
