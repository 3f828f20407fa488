package com.example.subscriptions.tracing;

import com.example.subscriptions.kafka.Disposition;
import com.example.subscriptions.kafka.RecordHandler;
import com.example.subscriptions.kafka.Work;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.CompletionStage;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One consumer span per record, continuing the trace of its {@code traceparent} header (a new trace without one). Its
 * work's attempts run with the span current, and it ends when the record is finished.
 */
final class TracedRecords implements RecordHandler {

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            return StreamSupport.stream(headers.spliterator(), false)
                    .map(Header::key)
                    .toList();
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final TextMapPropagator propagator;
    private final Tracer tracer;
    private final String topic;
    private final RecordHandler handler;

    TracedRecords(TextMapPropagator propagator, Tracer tracer, String topic, RecordHandler handler) {
        this.propagator = propagator;
        this.tracer = tracer;
        this.topic = topic;
        this.handler = handler;
    }

    @Override
    public Work plan(ConsumerRecord<byte[], byte[]> record) {
        Context parent = propagator.extract(Context.root(), record.headers(), HEADERS);
        Span span = tracer.spanBuilder(topic + " process")
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", Integer.toString(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .startSpan();
        Context context = parent.with(span);
        Work work;
        Scope scope = context.makeCurrent();
        try {
            work = handler.plan(record);
        } finally {
            scope.close();
        }
        return new TracedWork(work, span, context);
    }

    @Override
    public void assigned(Collection<TopicPartition> partitions) {
        handler.assigned(partitions);
    }

    private record TracedWork(Work work, Span span, Context context) implements Work {

        @Override
        public Object orderingKey() {
            return work.orderingKey();
        }

        @Override
        public CompletionStage<Disposition> attempt() {
            Scope scope = context.makeCurrent();
            try {
                return work.attempt().whenComplete((disposition, failure) -> {
                    if (failure != null) {
                        span.addEvent("attempt failed: " + failure.getClass().getSimpleName());
                    } else if (disposition instanceof Disposition.DeadLetter) {
                        span.setStatus(StatusCode.ERROR, "dead-lettered");
                    }
                });
            } finally {
                scope.close();
            }
        }

        @Override
        public void finished() {
            Scope scope = context.makeCurrent();
            try {
                work.finished();
            } finally {
                scope.close();
                span.end();
            }
        }
    }
}
