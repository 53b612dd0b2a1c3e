/**
 * What {@code /q/health} says (DESIGN section 13): readiness is DOWN only for what is this replica's own
 * (not yet accepting on the API port, draining, its own audit sink failing); a dependency every replica
 * shares (Redis) is reported in the details but never takes the replica out of the Service, since another
 * replica could not serve it either. Liveness has no checks of the gateway's: it reports the process.
 */
package io.tokengateway.health;
