package com.example.subscriptions.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.opentracingshim.OpenTracingShim;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentracing.Span;
import io.opentracing.Tracer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AddressFreeSpansTest {

    private static final String ADDRESS = "bob@example.com";

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(new AddressFreeSpans(exported)))
                    .build())
            .build();

    @Test
    void aFailureLoggedAsTemporalsInterceptorsDoKeepsItsKindAndLosesTheSmtpReplyThatNamesTheAddress() {
        // As Temporal's OpenTracing interceptors log a failed activity, through OpenTelemetry's shim.
        Tracer tracer = OpenTracingShim.createTracerShim(sdk);
        Span span = tracer.buildSpan("RunActivity:send_email").start();
        RuntimeException failure = new IllegalStateException("550 5.1.1 <" + ADDRESS + ">: Recipient address rejected");
        span.log(Map.of("event", "error", "error.object", failure, "message", failure.getMessage()));
        span.finish();
        sdk.getSdkTracerProvider().forceFlush();

        List<SpanData> spans = exported.getFinishedSpanItems();
        assertEquals(1, spans.size());
        String everything = spans.get(0).getEvents().toString() + spans.get(0).getAttributes();
        assertFalse(everything.contains(ADDRESS), everything);
        assertFalse(spans.get(0).getEvents().isEmpty(), "the failure is still there");
        assertTrue(everything.contains("IllegalStateException"), everything);
    }

    @Test
    void anExceptionRecordedOnASpanOfOursKeepsItsTypeOnly() {
        io.opentelemetry.api.trace.Span span =
                sdk.getTracer("test").spanBuilder("smtp send").startSpan();
        span.recordException(new IllegalStateException("refused " + ADDRESS));
        span.end();
        sdk.getSdkTracerProvider().forceFlush();

        String events = exported.getFinishedSpanItems().get(0).getEvents().toString();
        assertFalse(events.contains(ADDRESS), events);
        assertTrue(events.contains("exception.type"), events);
    }
}
