package io.tokengateway.masking;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Keeps customer tokens, card numbers and query strings out of traces: when a span starts, the
 * attributes that carry a URL or path (server and client spans alike) are masked like log text and lose
 * their query string. Route templates ({@code http.route}) and span names hold no request data.
 */
@ApplicationScoped
public class MaskingSpanProcessor implements SpanProcessor {

    static final List<AttributeKey<String>> URL_ATTRIBUTES = List.of(
            AttributeKey.stringKey("url.path"),
            AttributeKey.stringKey("url.full"),
            AttributeKey.stringKey("http.target"),
            AttributeKey.stringKey("http.url"));
    static final List<AttributeKey<String>> DROPPED = List.of(AttributeKey.stringKey("url.query"));

    private final SensitiveTextMasker masker;

    public MaskingSpanProcessor(SensitiveTextMasker masker) {
        this.masker = masker;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        for (AttributeKey<String> key : URL_ATTRIBUTES) {
            String value = span.getAttribute(key);
            if (value != null) {
                int query = value.indexOf('?');
                span.setAttribute(key, masker.mask(query < 0 ? value : value.substring(0, query)));
            }
        }
        for (AttributeKey<String> key : DROPPED) {
            if (span.getAttribute(key) != null) {
                span.setAttribute(key, "[removed]");
            }
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        // nothing: attributes are fixed at start, where they were masked
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
