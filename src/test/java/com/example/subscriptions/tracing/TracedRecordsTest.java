package com.example.subscriptions.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.kafka.Disposition;
import com.example.subscriptions.kafka.RecordHandler;
import com.example.subscriptions.kafka.Work;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The consumer span of a record: its trace continued or begun, current while its work runs, ended when finished. */
class TracedRecordsTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    private final AtomicReference<Span> currentDuringAttempt = new AtomicReference<>();
    private final RecordHandler handler = record -> new Work() {
        @Override
        public Object orderingKey() {
            return "k";
        }

        @Override
        public CompletionStage<Disposition> attempt() {
            currentDuringAttempt.set(Span.current());
            return CompletableFuture.completedFuture(Disposition.DONE);
        }
    };

    @AfterEach
    void close() {
        sdk.close();
    }

    private static ConsumerRecord<byte[], byte[]> record(String traceparent) {
        RecordHeaders headers = new RecordHeaders();
        if (traceparent != null) {
            headers.add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>(
                "commands",
                2,
                41,
                0L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                0,
                0,
                new byte[0],
                new byte[0],
                headers,
                java.util.Optional.empty());
    }

    private SpanData consume(ConsumerRecord<byte[], byte[]> record) {
        Work work = new OpenTelemetryTracing(sdk, false, sdk)
                .consumer("commands", handler)
                .plan(record);
        work.attempt().toCompletableFuture().join();
        assertTrue(spans.getFinishedSpanItems().isEmpty(), "the span lasts until the record is finished");
        work.finished();
        SpanData span = spans.getFinishedSpanItems().get(0);
        assertEquals(
                span.getSpanId(), currentDuringAttempt.get().getSpanContext().getSpanId());
        return span;
    }

    @Test
    void aRecordWithATraceparentContinuesItsTrace() {
        SpanData span = consume(record("00-" + TRACE_ID + "-00f067aa0ba902b7-01"));

        assertEquals(TRACE_ID, span.getTraceId());
        assertEquals("00f067aa0ba902b7", span.getParentSpanId());
        assertEquals(SpanKind.CONSUMER, span.getKind());
        assertEquals("commands process", span.getName());
    }

    @Test
    void aRecordWithoutOneOrWithAForgedOneStartsANewTrace() {
        SpanData fresh = consume(record(null));
        assertTrue(!fresh.getParentSpanContext().isValid());

        spans.reset();
        SpanData forged = consume(record("00-zzzz-not-a-trace"));
        assertTrue(!forged.getParentSpanContext().isValid());
        assertNotEquals(fresh.getTraceId(), forged.getTraceId());
    }

    @Test
    void anEventSentWhileTheRecordsSpanIsCurrentCarriesItsTrace() {
        ProducerRecord<byte[], byte[]> event = new ProducerRecord<>("events", new byte[0]);
        Span span = sdk.getTracer("t").spanBuilder("s").startSpan();
        io.opentelemetry.context.Scope scope = span.makeCurrent();
        try {
            new TraceContextHeaders().onSend(event);
        } finally {
            scope.close();
            span.end();
        }
        assertEquals(span.getSpanContext().getTraceId(), traceId(event));
        ProducerRecord<byte[], byte[]> outside = new ProducerRecord<>("events", new byte[0]);
        new TraceContextHeaders().onSend(outside);
        assertEquals(null, outside.headers().lastHeader("traceparent"));
    }

    private static String traceId(ProducerRecord<byte[], byte[]> record) {
        return new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8).split("-")[1];
    }
}
