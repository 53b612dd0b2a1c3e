/**
 * Masking: the card-number detector (issuer prefix for the length, Luhn), the
 * masker for tokens and credentials, and the log filter that applies both to every record of every
 * handler, exception messages included.
 */
package io.tokengateway.masking;
