package com.example.subscriptions.webhooks;

import com.example.subscriptions.core.Json;
import com.example.subscriptions.core.Utf8;
import com.example.subscriptions.kafka.KafkaPublisher;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes reports as {@code bounce} and {@code complaint} commands on the commands topic, keyed by the email like
 * every other command, so they take the same ordered, effectively-once path and publish their events.
 */
public final class ReportCommands {

    /** A provider waits this long at most for Kafka; it retries a 503 later. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaPublisher publisher;
    private final String commandsTopic;
    private final Duration timeout;

    public ReportCommands(KafkaPublisher publisher, String commandsTopic, Duration timeout) {
        this.publisher = publisher;
        this.commandsTopic = commandsTopic;
        this.timeout = timeout;
    }

    /** True once Kafka acknowledged every report; false if it failed or did not answer in time. Never waits. */
    CompletableFuture<Boolean> publish(List<ProviderReport> reports) {
        CompletableFuture<?>[] sends = reports.stream()
                .map(report -> publisher.send(new ProducerRecord<>(
                        commandsTopic, Utf8.encode(report.email().value()), Json.toBytes(command(report)))))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(sends)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((acknowledged, error) -> error == null);
    }

    static Map<String, String> command(ProviderReport report) {
        Map<String, String> command = new LinkedHashMap<>();
        command.put("type", report.reason().wireName());
        command.put("email", report.email().value());
        command.put("source", report.source().wireName());
        report.diagnostic().ifPresent(diagnostic -> command.put("diagnostic", diagnostic));
        command.put("commandId", report.commandId());
        return command;
    }

    Duration timeout() {
        return timeout;
    }
}
