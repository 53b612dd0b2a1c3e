package io.tokengateway.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/** Spans as the HTTP instrumentation creates them, through the real OpenTelemetry SDK. */
class MaskingSpanProcessorTest {

    @Test
    void urlAttributesAreMaskedAndQueriesDropped() {
        InMemorySpanExporter exported = InMemorySpanExporter.create();
        SdkTracerProvider tracing = SdkTracerProvider.builder()
                .addSpanProcessor(new MaskingSpanProcessor(new SensitiveTextMasker(List.of())))
                .addSpanProcessor(SimpleSpanProcessor.create(exported))
                .build();
        tracing.get("test")
                .spanBuilder("POST /customer-token/v1/tokens/{customerToken}/order")
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("url.path", "/customer-token/v1/tokens/kct-9f8e7d6c5b4a/order")
                .setAttribute("url.query", "pan=4111111111111111")
                .setAttribute("http.route", "/customer-token/v1/tokens/{customerToken}/order")
                .startSpan()
                .end();
        tracing.get("test")
                .spanBuilder("POST")
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(
                        "url.full", "https://api.example/customer-token/v1/tokens/4111111111111111/order?x=secret")
                .startSpan()
                .end();

        List<SpanData> spans = exported.getFinishedSpanItems();
        assertEquals(
                "/customer-token/v1/tokens/kct-…/order",
                spans.get(0).getAttributes().get(AttributeKey.stringKey("url.path")));
        assertEquals("[removed]", spans.get(0).getAttributes().get(AttributeKey.stringKey("url.query")));
        assertEquals(
                "/customer-token/v1/tokens/{customerToken}/order",
                spans.get(0).getAttributes().get(AttributeKey.stringKey("http.route")));
        assertEquals(
                "https://api.example/customer-token/v1/tokens/4111…/order",
                spans.get(1).getAttributes().get(AttributeKey.stringKey("url.full")));
        tracing.close();
    }
}
