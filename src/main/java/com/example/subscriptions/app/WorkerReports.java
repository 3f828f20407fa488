package com.example.subscriptions.app;

import com.example.subscriptions.command.Command;
import com.example.subscriptions.config.Topics;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.core.Utf8;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.example.subscriptions.suppression.ReportSource;
import com.example.subscriptions.suppression.SuppressionReason;
import com.example.subscriptions.workflow.DeliveryId;
import com.example.subscriptions.workflow.DeliveryReports;
import com.example.subscriptions.workflow.EmailDetails;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's reports, through Kafka: an address its SMTP server refused for good becomes a {@code bounce} command
 * ({@code source: smtp}) on the commands topic, which the commands role applies in order like any other and so
 * suppresses the address; an email given up becomes an event on the events topic, a metric and one WARN line. Without
 * a publisher (the log sender, a test's sender) only the metric and the line remain.
 */
final class WorkerReports implements DeliveryReports {

    private static final Logger log = LoggerFactory.getLogger(WorkerReports.class);
    /** How long an activity waits for Kafka to take a report; it must stay well inside send_email's 10 s. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** The event of an email the worker gave up: not an answer to a command, so {@code type} is {@code email}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EmailGivenUp(
            String commandId, String type, String email, String outcome, int count, String reason, Instant at) {
        static final String TYPE = "email";
        static final String OUTCOME = "GIVEN_UP";
    }

    private final Optional<KafkaPublisher> publisher;
    private final Topics topics;
    private final ServiceMetrics metrics;
    private final UnaryOperator<String> emailMask;
    private final Clock clock;

    WorkerReports(
            Optional<KafkaPublisher> publisher,
            Topics topics,
            ServiceMetrics metrics,
            UnaryOperator<String> emailMask,
            Clock clock) {
        this.publisher = publisher;
        this.topics = topics;
        this.metrics = metrics;
        this.emailMask = emailMask;
        this.clock = clock;
    }

    @Override
    public void addressGone(EmailDetails email, String reply, DeliveryId delivery) {
        Map<String, String> bounce = new LinkedHashMap<>();
        bounce.put("type", SuppressionReason.BOUNCE.wireName());
        bounce.put("email", email.email());
        bounce.put("source", ReportSource.SMTP.wireName());
        bounce.put("diagnostic", bounded(reply));
        // The same id on every attempt of this email, so that a report sent twice is recognisable as one.
        bounce.put("commandId", "bounce-smtp-" + delivery.runId() + "-" + delivery.activityId());
        publish(topics.commands(), email.email(), Json.toBytes(bounce));
    }

    @Override
    public void throttled() {
        metrics.smtpThrottled();
    }

    @Override
    public void emailGivenUp(EmailDetails email, String reply, DeliveryId delivery, int attempts) {
        publish(
                topics.events(),
                email.email(),
                Json.toBytes(new EmailGivenUp(
                        "given-up-" + delivery.runId() + "-" + delivery.activityId(),
                        EmailGivenUp.TYPE,
                        email.email(),
                        EmailGivenUp.OUTCOME,
                        email.count(),
                        reply,
                        clock.instant())));
        metrics.emailGivenUp();
        log.warn(
                "Email #{} to {} given up after {} attempts, each refused for good: {}",
                email.count(),
                emailMask.apply(email.email()),
                attempts,
                reply);
    }

    private void publish(String topic, String key, byte[] value) {
        if (publisher.isEmpty()) {
            return;
        }
        try {
            publisher
                    .get()
                    .send(new ProducerRecord<>(topic, Utf8.encode(key), value))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused the report to " + topic + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not take the report to " + topic + " within " + TIMEOUT.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reporting to " + topic, e);
        }
    }

    /** The reply as a command's diagnostic, which may hold at most {@link Command.Suppress#MAX_DIAGNOSTIC}. */
    private static String bounded(String reply) {
        int max = Command.Suppress.MAX_DIAGNOSTIC;
        return reply.codePointCount(0, reply.length()) <= max
                ? reply
                : reply.substring(0, reply.offsetByCodePoints(0, max));
    }
}
