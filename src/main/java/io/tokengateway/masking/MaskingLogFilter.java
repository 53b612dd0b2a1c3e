package io.tokengateway.masking;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * The log filter on every handler (console, file, access log): rewrites each record before it is
 * written, so no card number, customer token or credential reaches any log, whoever logged it (our code,
 * Vert.x, Quarkus, a library). The message is formatted with its parameters, masked, and stored back
 * without parameters; an attached exception is replaced by a {@link MaskedThrowable}.
 *
 * <p>Enabled by {@code quarkus.log.console.filter=masking} (and the same for every other handler).
 */
@LoggingFilter(name = "masking")
public final class MaskingLogFilter implements Filter {

    private static final Pattern MERCHANT_PASSWORD = Pattern.compile("(?i)gateway[._]merchants[._].+[._]password");

    private final SensitiveTextMasker masker;

    public MaskingLogFilter() {
        this.masker = new SensitiveTextMasker(configuredSecrets());
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String formatted = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        String masked = masker.mask(formatted);
        if (record instanceof ExtLogRecord ext) {
            ext.setMessage(masked, ExtLogRecord.FormatStyle.NO_FORMAT);
        } else {
            record.setMessage(masked);
        }
        record.setParameters(null);
        if (record.getThrown() != null) {
            record.setThrown(MaskedThrowable.of(record.getThrown(), masker));
        }
        return true;
    }

    /** Every configured merchant password, from properties or environment variables. */
    private static List<String> configuredSecrets() {
        List<String> secrets = new ArrayList<>();
        try {
            Config config = ConfigProvider.getConfig();
            for (String name : config.getPropertyNames()) {
                if (MERCHANT_PASSWORD.matcher(name).matches()) {
                    config.getOptionalValue(name, String.class).ifPresent(secrets::add);
                }
            }
        } catch (RuntimeException e) {
            // No configuration yet (very early start-up): the pattern rules still apply.
        }
        return secrets;
    }
}
