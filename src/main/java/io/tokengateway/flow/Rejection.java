package io.tokengateway.flow;

import io.tokengateway.error.GatewayError;

/** Which step turned a request away, and with which error code (for the audit record and metrics). */
public record Rejection(String step, GatewayError error) {}
