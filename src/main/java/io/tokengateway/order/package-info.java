/**
 * Orders: the streaming validator of {@code create-order} and {@code cancel-token} bodies (schema from
 * the provider's OpenAPI, exact overflow-checked arithmetic of line totals, taxes and order sums),
 * the {@link io.tokengateway.order.Order} facts later steps use, and the validation step.
 */
package io.tokengateway.order;
