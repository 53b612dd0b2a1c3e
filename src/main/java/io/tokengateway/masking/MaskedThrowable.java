package io.tokengateway.masking;

/**
 * A stand-in for an exception about to be logged: the same class name, stack trace and causes, with
 * every message masked, so an exception cannot carry request data into a log.
 */
final class MaskedThrowable extends RuntimeException {

    private final String originalClass;

    private MaskedThrowable(String originalClass, String maskedMessage, Throwable maskedCause) {
        super(maskedMessage, maskedCause, false, true);
        this.originalClass = originalClass;
    }

    static Throwable of(Throwable original, SensitiveTextMasker masker) {
        return of(original, masker, 0);
    }

    private static Throwable of(Throwable original, SensitiveTextMasker masker, int depth) {
        if (original == null || original instanceof MaskedThrowable || depth > 16) {
            return original;
        }
        MaskedThrowable masked = new MaskedThrowable(
                original.getClass().getName(),
                masker.mask(original.getMessage()),
                of(original.getCause(), masker, depth + 1));
        masked.setStackTrace(original.getStackTrace());
        for (Throwable suppressed : original.getSuppressed()) {
            masked.addSuppressed(of(suppressed, masker, depth + 1));
        }
        return masked;
    }

    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return message == null ? originalClass : originalClass + ": " + message;
    }
}
