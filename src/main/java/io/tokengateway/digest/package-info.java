/** The one SHA-256 helper, shared by idempotency (fingerprints, key hashing), audit (chain) and the sandbox. */
package io.tokengateway.digest;
