/**
 * The provider side: the provider's API as one Quarkus REST Client Reactive interface with one client per
 * merchant, the forward step that calls it through the merchant's circuit breaker and bulkhead, the typed
 * outcome of every forward, and the rules for which headers cross in each direction.
 */
package io.tokengateway.upstream;
