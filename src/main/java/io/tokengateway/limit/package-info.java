/**
 * Per-merchant limits that hold across every replica: the request rate (GCRA in
 * Lua on Redis server time, with a per-replica fallback), the currency policy and per-order maximum, the
 * rolling 24 h amount with reservation and refund, and shadow mode. Lua scripts live beside this
 * package in resources.
 */
package io.tokengateway.limit;
