package io.tokengateway.masking;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Masks finished spans on their way out: every string attribute of the span, of its events and links, its
 * name and its status description. Exception events are recorded after the span started, when a span
 * processor can no longer rewrite them ({@code exception.message} and {@code exception.stacktrace} would
 * carry a card number or token as thrown); the exporter is the last place that sees them all.
 * Exception events leave as plain events, so the original exception object does not travel further.
 */
public final class MaskingSpanExporter implements SpanExporter {

    private final SpanExporter delegate;
    private final SensitiveTextMasker masker;

    public MaskingSpanExporter(SpanExporter delegate, SensitiveTextMasker masker) {
        this.delegate = delegate;
        this.masker = masker;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        List<SpanData> masked = new ArrayList<>(spans.size());
        for (SpanData span : spans) {
            masked.add(new MaskedSpanData(span, masker));
        }
        return delegate.export(masked);
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }

    @Override
    public String toString() {
        return "MaskingSpanExporter{" + delegate + "}";
    }

    private static final class MaskedSpanData extends DelegatingSpanData {

        private final String name;
        private final Attributes attributes;
        private final List<EventData> events;
        private final List<LinkData> links;
        private final StatusData status;

        MaskedSpanData(SpanData span, SensitiveTextMasker masker) {
            super(span);
            this.name = masker.mask(span.getName());
            this.attributes = mask(span.getAttributes(), masker);
            List<EventData> maskedEvents = new ArrayList<>(span.getEvents().size());
            for (EventData event : span.getEvents()) {
                maskedEvents.add(EventData.create(
                        event.getEpochNanos(),
                        masker.mask(event.getName()),
                        mask(event.getAttributes(), masker),
                        event.getTotalAttributeCount()));
            }
            this.events = List.copyOf(maskedEvents);
            List<LinkData> maskedLinks = new ArrayList<>(span.getLinks().size());
            for (LinkData link : span.getLinks()) {
                maskedLinks.add(LinkData.create(
                        link.getSpanContext(), mask(link.getAttributes(), masker), link.getTotalAttributeCount()));
            }
            this.links = List.copyOf(maskedLinks);
            StatusData original = span.getStatus();
            this.status = StatusData.create(original.getStatusCode(), masker.mask(original.getDescription()));
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Attributes getAttributes() {
            return attributes;
        }

        @Override
        public List<EventData> getEvents() {
            return events;
        }

        @Override
        public List<LinkData> getLinks() {
            return links;
        }

        @Override
        public StatusData getStatus() {
            return status;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Attributes mask(Attributes attributes, SensitiveTextMasker masker) {
        if (attributes.isEmpty()) {
            return attributes;
        }
        AttributesBuilder masked = Attributes.builder();
        attributes.forEach((key, value) -> {
            if (key.getType() == AttributeType.STRING) {
                masked.put((AttributeKey<String>) key, masker.mask((String) value));
            } else if (key.getType() == AttributeType.STRING_ARRAY) {
                List<String> values = new ArrayList<>();
                for (String item : (List<String>) value) {
                    values.add(masker.mask(item));
                }
                masked.put((AttributeKey<List<String>>) key, values);
            } else {
                masked.put((AttributeKey) key, value);
            }
        });
        return masked.build();
    }
}
