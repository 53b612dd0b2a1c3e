/**
 * Idempotency: the key's syntax, the requirement step, the Redis store (atomic
 * claim, owner-checked completion and release in Lua, beside this package in resources) and the step
 * that replays, rejects or claims. Redis holds only the body's fingerprint, never the body or the token.
 */
package io.tokengateway.idempotency;
