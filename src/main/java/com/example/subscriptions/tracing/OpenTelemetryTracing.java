package com.example.subscriptions.tracing;

import com.example.subscriptions.kafka.RecordHandler;
import com.example.subscriptions.workflow.EmailSender;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.opentracingshim.OpenTracingShim;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.common.interceptors.WorkflowClientInterceptor;
import io.temporal.opentracing.OpenTracingClientInterceptor;
import io.temporal.opentracing.OpenTracingOptions;
import io.temporal.opentracing.OpenTracingWorkerInterceptor;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Tracing through OpenTelemetry. Temporal's interceptors speak OpenTracing; OpenTelemetry's shim turns their spans into
 * OpenTelemetry's, in the same context, so the record's span, the Temporal calls, the workflow, the activity and the
 * SMTP delivery make one trace.
 */
public final class OpenTelemetryTracing implements Tracing {

    static final String INSTRUMENTATION = "com.example.subscriptions";

    /** Defaults below the {@code OTEL_*} variables: no exporter unless one is named, and our service name. */
    private static final Map<String, String> DEFAULTS = Map.of(
            "otel.service.name", "subscriptions",
            "otel.traces.exporter", "none",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none");

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final OpenTracingOptions temporalOptions;
    private final boolean showEmails;
    private final AutoCloseable sdk;

    /** @param sdk closed with this: flushes the exporter */
    public OpenTelemetryTracing(OpenTelemetry openTelemetry, boolean showEmails, AutoCloseable sdk) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
        this.temporalOptions = OpenTracingOptions.newBuilder()
                .setTracer(OpenTracingShim.createTracerShim(openTelemetry))
                .setSpanBuilderProvider(new TemporalSpanNames(showEmails))
                .build();
        this.showEmails = showEmails;
        this.sdk = sdk;
    }

    static Tracing autoconfigured(boolean showEmails) {
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> DEFAULTS)
                .addSpanExporterCustomizer((exporter, config) -> showEmails ? exporter : new AddressFreeSpans(exporter))
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        org.slf4j.LoggerFactory.getLogger(OpenTelemetryTracing.class)
                .info("Tracing on: {}", sdk.getSdkTracerProvider());
        return new OpenTelemetryTracing(sdk, showEmails, sdk);
    }

    @Override
    public RecordHandler consumer(String topic, RecordHandler handler) {
        return new TracedRecords(openTelemetry.getPropagators().getTextMapPropagator(), tracer, topic, handler);
    }

    @Override
    public Executor propagating(Executor executor) {
        return Context.taskWrapping(executor);
    }

    @Override
    public Executor inCurrentContext() {
        return Context.current().wrap((Executor) Runnable::run);
    }

    @Override
    public WorkflowClientInterceptor[] clientInterceptors() {
        return new WorkflowClientInterceptor[] {new OpenTracingClientInterceptor(temporalOptions)};
    }

    @Override
    public WorkerInterceptor[] workerInterceptors() {
        return new WorkerInterceptor[] {new OpenTracingWorkerInterceptor(temporalOptions)};
    }

    @Override
    public EmailSender emailSender(EmailSender sender) {
        return new TracedEmailSender(tracer, sender, showEmails);
    }

    @Override
    public Map<String, String> producerSettings() {
        return Map.of("interceptor.classes", TraceContextHeaders.class.getName());
    }

    @Override
    public void close() {
        try {
            sdk.close();
        } catch (Exception e) {
            // Closing flushes the last spans; nothing more to do if the exporter cannot take them.
        }
    }
}
