/**
 * The provider side: the pooled non-blocking HTTP client, the forward step that injects the merchant's
 * credentials and calls the provider, and the rules for which headers cross in each direction.
 */
package io.tokengateway.upstream;
