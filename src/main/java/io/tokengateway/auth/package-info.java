/**
 * Who is calling and what they may do: the authenticate step (bearer JWT verified by Quarkus OIDC,
 * caller named from the configured claims), the caller policy of {@code gateway.callers.*} and the
 * authorize step that applies it. Default deny.
 */
package io.tokengateway.auth;
