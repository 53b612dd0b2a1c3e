/**
 * The merchant accounts the gateway acts for: their provider base URL and API credentials, built and
 * validated from {@code gateway.merchants.*} at start-up. Credentials exist only as a prepared
 * {@code Authorization} header value that never prints.
 */
package io.tokengateway.merchant;
