/**
 * The request flow, in one place. {@link io.tokengateway.pipeline.RequestPipeline} assembles the steps in
 * the order they run and runs each request to its end; the steps themselves live in the package of their
 * concern ({@code auth}, {@code upstream}, ...) and see only the {@code flow} package, never this one.
 */
package io.tokengateway.pipeline;
