package com.example.subscriptions.tracing;

import com.example.subscriptions.kafka.RecordHandler;
import com.example.subscriptions.workflow.EmailSender;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.common.interceptors.WorkflowClientInterceptor;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Where the service's traces are made: around each consumed record, Temporal's client and worker, and SMTP. {@link
 * #OFF} changes nothing and refers to no OpenTelemetry class, so that with tracing off none is loaded.
 */
public interface Tracing extends AutoCloseable {

    Tracing OFF = new Off();

    /** Tracing as {@code tracing.enabled} says, the SDK configured by {@code OTEL_*} (autoconfigure). */
    static Tracing fromSettings(boolean enabled, boolean showEmails) {
        return enabled ? OpenTelemetryTracing.autoconfigured(showEmails) : OFF;
    }

    /** A consumer span per record, the record's {@code traceparent} its parent, current while its work runs. */
    RecordHandler consumer(String topic, RecordHandler handler);

    /** Runs tasks in the context they were submitted in, so a blocking Temporal call is the record's child. */
    Executor propagating(Executor executor);

    /** Runs tasks, on the thread that hands them over, in the context current now (a record's, in its attempt). */
    Executor inCurrentContext();

    WorkflowClientInterceptor[] clientInterceptors();

    WorkerInterceptor[] workerInterceptors();

    /** A span around each delivery attempt, the activity's child. */
    EmailSender emailSender(EmailSender sender);

    /** Client settings of the producer of events, replies and dead letters: they carry the record's trace. */
    Map<String, String> producerSettings();

    @Override
    void close();

    final class Off implements Tracing {

        private Off() {}

        @Override
        public RecordHandler consumer(String topic, RecordHandler handler) {
            return handler;
        }

        @Override
        public Executor propagating(Executor executor) {
            return executor;
        }

        @Override
        public Executor inCurrentContext() {
            return Runnable::run;
        }

        @Override
        public WorkflowClientInterceptor[] clientInterceptors() {
            return new WorkflowClientInterceptor[0];
        }

        @Override
        public WorkerInterceptor[] workerInterceptors() {
            return new WorkerInterceptor[0];
        }

        @Override
        public EmailSender emailSender(EmailSender sender) {
            return sender;
        }

        @Override
        public Map<String, String> producerSettings() {
            return Map.of();
        }

        @Override
        public void close() {}
    }
}
