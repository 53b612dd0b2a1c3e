/**
 * The request flow, in one place. {@link io.tokengateway.pipeline.RequestPipeline} lists the steps in
 * the order they run; each step is a small {@link io.tokengateway.pipeline.PipelineStep} living in the
 * package of its concern ({@code auth}, {@code upstream}, ...). The per-request state that steps share
 * is the {@link io.tokengateway.pipeline.Exchange}; what comes in is a
 * {@link io.tokengateway.pipeline.GatewayRequest}, what goes out a {@link io.tokengateway.pipeline.GatewayResponse}.
 */
package io.tokengateway.pipeline;
