package io.tokengateway.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/** Exception events and span events, recorded after the span started, through the real OpenTelemetry SDK. */
class MaskingSpanExporterTest {

    static final String CARD = "4111111111111111";
    static final String TOKEN = "kct-9f8e7d6c5b4a";
    final SensitiveTextMasker masker = new SensitiveTextMasker(List.of("main-shop-secret-Zq7"));

    @Test
    void exceptionMessagesStackTracesEventsAndStatusAreMasked() {
        InMemorySpanExporter exported = InMemorySpanExporter.create();
        try (SdkTracerProvider tracing = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(new MaskingSpanExporter(exported, masker)))
                .build()) {
            record(tracing.get("test")
                    .spanBuilder("POST /customer-token/v1/tokens/{customerToken}/order")
                    .startSpan());
            assertNothingSensitive(exported.getFinishedSpanItems());
        }
    }

    /** The way Quarkus builds the SDK: its builder customizers, then the exporter named in the configuration. */
    @Test
    void theCustomizerWrapsTheConfiguredExporter() {
        InMemorySpanExporter exported = InMemorySpanExporter.create();
        ConfigurableSpanExporterProvider inMemory = new ConfigurableSpanExporterProvider() {
            @Override
            public SpanExporter createExporter(ConfigProperties config) {
                return exported;
            }

            @Override
            public String getName() {
                return "in-memory";
            }
        };
        AutoConfiguredOpenTelemetrySdkBuilder builder = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> Map.of(
                        "otel.traces.exporter",
                        "in-memory",
                        "otel.metrics.exporter",
                        "none",
                        "otel.logs.exporter",
                        "none",
                        "otel.service.name",
                        "test"))
                .setComponentLoader(new ComponentLoader() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> Iterable<T> load(Class<T> type) {
                        return type == ConfigurableSpanExporterProvider.class ? List.of((T) inMemory) : List.of();
                    }
                });
        new MaskingSpanExporterCustomizer(masker).customize(builder);
        OpenTelemetrySdk sdk = builder.build().getOpenTelemetrySdk();
        try {
            record(sdk.getTracer("test").spanBuilder("GET").startSpan());
            sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
            assertNothingSensitive(exported.getFinishedSpanItems());
        } finally {
            sdk.close();
        }
    }

    private static void record(Span span) {
        span.setAttribute("url.path", "/customer-token/v1/tokens/" + TOKEN + "/order");
        span.setAttribute(AttributeKey.stringArrayKey("notes"), List.of("pan " + CARD, "fine"));
        span.setAttribute("http.response.status_code", 502L);
        span.recordException(new IllegalStateException(
                "declined card " + CARD + " for /customer-token/v1/TOKENS//" + TOKEN,
                new RuntimeException("Authorization: Basic dXNlcjpwYXNzd29yZA==")));
        span.addEvent(
                "upstream answered",
                Attributes.of(AttributeKey.stringKey("body"), "{\"customer_token\":\"" + TOKEN + "\"}"));
        span.setStatus(StatusCode.ERROR, "card " + CARD);
        span.end();
    }

    private static void assertNothingSensitive(List<SpanData> spans) {
        assertEquals(1, spans.size());
        SpanData span = spans.get(0);
        List<String> texts = new ArrayList<>();
        texts.add(span.getName());
        texts.add(span.getStatus().getDescription());
        span.getAttributes().forEach((key, value) -> texts.add(String.valueOf(value)));
        for (EventData event : span.getEvents()) {
            texts.add(event.getName());
            event.getAttributes().forEach((key, value) -> texts.add(String.valueOf(value)));
        }
        String all = String.join("\n", texts);
        for (String secret : List.of(CARD, TOKEN, "dXNlcjpwYXNzd29yZA")) {
            assertFalse(all.contains(secret), () -> "in exported span: " + all);
        }
        EventData exception = span.getEvents().stream()
                .filter(e -> e.getName().equals("exception"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                "declined card ************1111 for /customer-token/v1/TOKENS//kct-…",
                exception.getAttributes().get(AttributeKey.stringKey("exception.message")));
        assertEquals(
                "java.lang.IllegalStateException",
                exception.getAttributes().get(AttributeKey.stringKey("exception.type")));
        String stackTrace = exception.getAttributes().get(AttributeKey.stringKey("exception.stacktrace"));
        assertTrue(
                stackTrace.contains("Authorization: [removed]")
                        && stackTrace.contains("MaskingSpanExporterTest.record"),
                stackTrace);
        assertEquals("card ************1111", span.getStatus().getDescription());
        assertEquals(502L, span.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
        assertEquals(
                List.of("pan ************1111", "fine"),
                span.getAttributes().get(AttributeKey.stringArrayKey("notes")));
        assertTrue(all.contains("customer_token\":\"kct-…"), all);
    }
}
