package com.example.subscriptions.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;

/**
 * Puts the sending thread's trace context on each record as {@code traceparent} (and {@code tracestate}): an event,
 * reply or dead letter sent while its record's span is current continues that record's trace. A record that already
 * has a {@code traceparent} (a dead letter keeps its original's headers) keeps it.
 */
public final class TraceContextHeaders implements ProducerInterceptor<byte[], byte[]> {

    private static final TextMapSetter<Headers> HEADERS =
            (headers, key, value) -> headers.add(key, value.getBytes(StandardCharsets.UTF_8));

    @Override
    public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
        if (Span.current().getSpanContext().isValid() && record.headers().lastHeader("traceparent") == null) {
            W3CTraceContextPropagator.getInstance().inject(Context.current(), record.headers(), HEADERS);
        }
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
}
