/**
 * The gateway's own error model: the list of error codes with their HTTP status, the exception
 * that carries one through the pipeline, and the provider-shaped body it is answered with.
 * Kept apart from {@code api} so that every step can reject a request without depending on the
 * JAX-RS layer.
 */
package io.tokengateway.error;
