package io.tokengateway.upstream;

import java.util.List;
import java.util.Map;

/**
 * A complete answer from the provider, whatever its status, in the gateway's own terms: what the outcome,
 * the guards and the caller's answer are decided from, with no client library type in it.
 *
 * @param headers the answer's headers as received (name as sent by the provider, every value)
 * @param body    the body bytes exactly as received; empty for none
 */
record ProviderAnswer(int status, Map<String, List<String>> headers, byte[] body) {}
