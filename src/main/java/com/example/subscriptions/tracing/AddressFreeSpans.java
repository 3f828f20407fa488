package com.example.subscriptions.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Exports spans with their events stripped to what names no one: Temporal's interceptors log a failed activity's
 * exception on its span, and an SMTP server's reply in that message quotes the recipient ({@code 550 5.1.1
 * <bob@example.com>}). An event keeps its name and the attributes below; messages and stack traces are dropped.
 */
public final class AddressFreeSpans implements SpanExporter {

    private static final Set<String> KEPT = Set.of("event", "exception.type", "error.kind");

    private final SpanExporter exporter;

    public AddressFreeSpans(SpanExporter exporter) {
        this.exporter = exporter;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        return exporter.export(spans.stream().map(AddressFreeSpans::stripped).toList());
    }

    @Override
    public CompletableResultCode flush() {
        return exporter.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return exporter.shutdown();
    }

    private static SpanData stripped(SpanData span) {
        if (span.getEvents().isEmpty()) {
            return span;
        }
        List<EventData> events = span.getEvents().stream()
                .map(event -> EventData.create(
                        event.getEpochNanos(),
                        event.getName(),
                        kept(event.getAttributes()),
                        event.getTotalAttributeCount()))
                .toList();
        return new DelegatingSpanData(span) {
            @Override
            public List<EventData> getEvents() {
                return events;
            }
        };
    }

    private static Attributes kept(Attributes attributes) {
        AttributesBuilder kept = Attributes.builder();
        attributes.forEach((key, value) -> {
            if (KEPT.contains(key.getKey())) {
                @SuppressWarnings("unchecked") // the value read under this key has the key's type
                AttributeKey<Object> same = (AttributeKey<Object>) key;
                kept.put(same, value);
            }
        });
        return kept.build();
    }
}
