package com.example.subscriptions.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.devstack.DevMailServer;
import com.example.subscriptions.devstack.TestKafka;
import com.example.subscriptions.tracing.OpenTelemetryTracing;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * With tracing on, a command whose record carries a {@code traceparent} is one trace from the record to the email
 * sent: consumer, Temporal start, workflow, activity, SMTP, each the child of the one before.
 */
class TracingIT {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PRODUCER_SPAN_ID = "00f067aa0ba902b7";

    @Test
    void aRecordsTraceparentLeadsToEverySpanOfItsCommandDownToTheEmailsDelivery() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        String email = "traced@example.com";
        try (ServiceFixture fixture = new ServiceFixture();
                DevMailServer mail = DevMailServer.start(0)) {
            Service service = Service.start(
                    fixture.settings(Map.of(
                            "roles", "worker,commands",
                            "mail.sender", "smtp",
                            "mail.from", "Subscriptions <subscriptions@example.com>",
                            "mail.host", "127.0.0.1",
                            "mail.port", Integer.toString(mail.port()),
                            "mail.tls", "off",
                            "unsubscribe.secret", "tracing-test-only-unsubscribe-secret-0123456789")),
                    new OpenTelemetryTracing(sdk, false, sdk),
                    Service.LOG_LOOP_FAILURE);
            send(fixture, email, "{\"type\":\"subscribe\",\"email\":\"" + email + "\"}");
            List<String> chain = List.of(
                    fixture.topic("commands") + " process",
                    "StartWorkflow:SendEmailWorkflow",
                    "StartActivity:send_email",
                    "RunActivity:send_email",
                    "smtp send");
            awaitSpans(spans, chain);

            List<SpanData> finished = spans.getFinishedSpanItems();
            SpanData consumer = named(finished, chain.get(0)).orElseThrow();
            SpanData start = named(finished, "StartWorkflow:SendEmailWorkflow").orElseThrow();
            SpanData startActivity = named(finished, "StartActivity:send_email").orElseThrow();
            SpanData runActivity = named(finished, "RunActivity:send_email").orElseThrow();
            SpanData smtp = named(finished, "smtp send").orElseThrow();
            assertEquals(PRODUCER_SPAN_ID, consumer.getParentSpanId());
            assertEquals(consumer.getSpanId(), start.getParentSpanId(), "start under the consumer");
            assertEquals(startActivity.getSpanId(), runActivity.getParentSpanId(), "activity run under its start");
            assertEquals(runActivity.getSpanId(), smtp.getParentSpanId(), "SMTP under the activity");

            try (KafkaProbe events = new KafkaProbe(fixture.topic("events"))) {
                ConsumerRecord<byte[], byte[]> event =
                        events.await(KafkaProbe.jsonField(fixture.topic("events"), "outcome", "SUBSCRIBED"));
                assertEquals(
                        "00-" + TRACE_ID + "-" + consumer.getSpanId() + "-01",
                        KafkaProbe.header(event, "traceparent"),
                        "the event continues the command's trace");
            }

            // The workflow's own span ends with its run: unsubscribed, it does.
            send(fixture, email, "{\"type\":\"unsubscribe\",\"email\":\"" + email + "\"}");
            awaitSpans(spans, List.of("RunWorkflow:SendEmailWorkflow"));
            SpanData run = named(spans.getFinishedSpanItems(), "RunWorkflow:SendEmailWorkflow")
                    .orElseThrow();
            assertEquals(start.getSpanId(), run.getParentSpanId(), "workflow under the start");
            assertEquals(run.getSpanId(), startActivity.getParentSpanId(), "activity scheduled by the workflow");
            for (SpanData span : List.of(consumer, start, run, startActivity, runActivity, smtp)) {
                assertEquals(TRACE_ID, span.getTraceId(), span.getName());
            }
            for (SpanData span : spans.getFinishedSpanItems()) {
                assertFalse(span.getAttributes().toString().contains(email), "an address in " + span);
            }
            service.close();
        }
    }

    private static void awaitSpans(InMemorySpanExporter spans, List<String> names) {
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> names.stream()
                            .allMatch(
                                    n -> named(spans.getFinishedSpanItems(), n).isPresent()));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("waited for " + names + ", finished: "
                    + spans.getFinishedSpanItems().stream()
                            .map(SpanData::getName)
                            .toList());
        }
    }

    /** A command record with the fixed {@code traceparent}, as a traced producer sends it. */
    private static void send(ServiceFixture fixture, String email, String command) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            ProducerRecord<String, String> record = new ProducerRecord<>(fixture.topic("commands"), email, command);
            record.headers()
                    .add(
                            "traceparent",
                            ("00-" + TRACE_ID + "-" + PRODUCER_SPAN_ID + "-01").getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
    }

    private static Optional<SpanData> named(List<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst();
    }
}
