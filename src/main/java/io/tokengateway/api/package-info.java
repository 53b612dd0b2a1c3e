/**
 * The caller-facing HTTP API: the JAX-RS resource for the three operations at the provider's own paths,
 * the syntax step that checks path and headers, the body-size guard, and the answers for requests that
 * match no operation. Everything answers in the provider's error shape.
 */
package io.tokengateway.api;
