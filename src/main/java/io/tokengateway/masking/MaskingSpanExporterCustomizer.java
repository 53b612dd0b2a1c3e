package io.tokengateway.masking;

import jakarta.inject.Singleton;

import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.quarkus.arc.Unremovable;
import io.quarkus.opentelemetry.runtime.AutoConfiguredOpenTelemetrySdkBuilderCustomizer;

/**
 * Wraps whatever span exporter Quarkus configures (OTLP, or the CDI exporters) in a {@link MaskingSpanExporter}.
 * Quarkus applies every bean of this type to the SDK builder when tracing is enabled; the SDK's own exporter
 * customizer hook then wraps each configured exporter, so no exporter sees an unmasked span.
 */
@Singleton
@Unremovable
public class MaskingSpanExporterCustomizer implements AutoConfiguredOpenTelemetrySdkBuilderCustomizer {

    private final SensitiveTextMasker masker;

    public MaskingSpanExporterCustomizer(SensitiveTextMasker masker) {
        this.masker = masker;
    }

    @Override
    public void customize(AutoConfiguredOpenTelemetrySdkBuilder builder) {
        builder.addSpanExporterCustomizer((exporter, config) -> new MaskingSpanExporter(exporter, masker));
    }
}
