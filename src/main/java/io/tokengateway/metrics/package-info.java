/** Meters built once and found again cheaply on the request path. */
package io.tokengateway.metrics;
