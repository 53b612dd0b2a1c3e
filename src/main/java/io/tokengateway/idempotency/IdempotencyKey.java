package io.tokengateway.idempotency;

/** The syntax of {@code Klarna-Idempotency-Key}: 1-255 printable ASCII characters. */
public final class IdempotencyKey {

    public static final int MAX_LENGTH = 255;

    private IdempotencyKey() {}

    public static boolean isWellFormed(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
