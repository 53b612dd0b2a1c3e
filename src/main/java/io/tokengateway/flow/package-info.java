/**
 * What every step of the request flow sees, apart from the runtime that assembles the steps: the
 * {@link io.tokengateway.flow.Step} interface and its {@link io.tokengateway.flow.StepResult}, the
 * per-request {@link io.tokengateway.flow.Exchange} with its typed {@link io.tokengateway.flow.Fact}s, the
 * {@link io.tokengateway.flow.Operation}s, and the {@link io.tokengateway.flow.UpstreamOutcome} of a forward.
 *
 * <p>A step that keeps state in Redis is a {@link io.tokengateway.flow.RoundParticipant}: it declares its
 * {@link io.tokengateway.flow.ScriptPart}s and, per request, the {@link io.tokengateway.flow.ScriptCall}s of
 * the admission and settlement rounds, and reads what its part came to from the
 * {@link io.tokengateway.flow.Admission} ({@link io.tokengateway.flow.PartOutcome},
 * {@link io.tokengateway.flow.ScriptReply}). The runtime that runs the rounds is in {@code redis}.
 * Steps import this package and their own concern, never {@code pipeline} or {@code api}.
 */
package io.tokengateway.flow;
