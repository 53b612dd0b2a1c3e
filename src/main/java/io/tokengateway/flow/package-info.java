/**
 * What every step of the request flow sees, apart from the runtime that assembles the steps: the
 * {@link io.tokengateway.flow.Step} interface and its {@link io.tokengateway.flow.StepResult}, the
 * per-request {@link io.tokengateway.flow.Exchange} with its typed {@link io.tokengateway.flow.Fact}s, the
 * {@link io.tokengateway.flow.Operation}s, and the {@link io.tokengateway.flow.UpstreamOutcome} of a forward.
 * Steps import this package and their own concern, never {@code pipeline} or {@code api}.
 */
package io.tokengateway.flow;
