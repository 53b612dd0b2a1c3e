/**
 * Typed configuration: the {@code @ConfigMapping} interfaces behind every {@code gateway.*} property.
 * Other packages turn these into their own immutable models at start-up (for example the merchant
 * registry and the caller policy) and validate them there, so a bad configuration fails the start.
 */
package io.tokengateway.config;
