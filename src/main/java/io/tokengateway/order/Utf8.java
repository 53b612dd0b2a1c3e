package io.tokengateway.order;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 (RFC 3629): no overlong forms (such as {@code C0 AF}, a smuggled {@code /}), no surrogates,
 * nothing above U+10FFFF, no truncated sequences. JSON parsers are lenient about some of these; the
 * gateway is not, so what it checks and what the provider decodes are the same characters.
 */
final class Utf8 {

    /** Eight bytes at once, in whichever byte order: only "is any high bit set" is asked of them. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {}

    static boolean isValid(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            // Order bodies are almost all ASCII: skip eight ASCII bytes per step until a non-ASCII byte is near.
            while (i + Long.BYTES <= bytes.length && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
                i += Long.BYTES;
            }
            if (i >= bytes.length) {
                return true;
            }
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int length;
            int min;
            int codePoint;
            if (b >= 0xC2 && b <= 0xDF) {
                length = 2;
                min = 0x80;
                codePoint = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                length = 3;
                min = 0x800;
                codePoint = b & 0x0F;
            } else if (b >= 0xF0 && b <= 0xF4) {
                length = 4;
                min = 0x10000;
                codePoint = b & 0x07;
            } else {
                return false; // continuation byte without a lead, C0/C1 (always overlong), F5..FF
            }
            if (i + length > bytes.length) {
                return false;
            }
            for (int k = 1; k < length; k++) {
                int next = bytes[i + k] & 0xFF;
                if ((next & 0xC0) != 0x80) {
                    return false;
                }
                codePoint = (codePoint << 6) | (next & 0x3F);
            }
            if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
                return false;
            }
            i += length;
        }
        return true;
    }
}
