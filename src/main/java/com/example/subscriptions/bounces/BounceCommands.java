package com.example.subscriptions.bounces;

import com.example.subscriptions.core.Json;
import com.example.subscriptions.core.Utf8;
import com.example.subscriptions.kafka.KafkaPublisher;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes what a report found as {@code bounce} or {@code complaint} commands on the commands topic, keyed by the
 * email like every other command, so each is applied in order with the subscriber's other commands and gets its event.
 */
public final class BounceCommands {

    /** Kafka refused the commands, or did not acknowledge them in time: the message stays for the next poll. */
    public static final class NotAcknowledged extends Exception {
        private static final long serialVersionUID = 1L;

        NotAcknowledged(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final KafkaPublisher publisher;
    private final String commandsTopic;
    private final Duration timeout;

    public BounceCommands(KafkaPublisher publisher, String commandsTopic, Duration timeout) {
        this.publisher = publisher;
        this.commandsTopic = commandsTopic;
        this.timeout = timeout;
    }

    /** Returns once Kafka acknowledged every one of them. */
    void publish(List<MailboxReport.Found> found) throws NotAcknowledged, InterruptedException {
        CompletableFuture<?>[] sends = found.stream()
                .map(one -> publisher.send(new ProducerRecord<>(
                        commandsTopic, Utf8.encode(one.email().value()), Json.toBytes(command(one)))))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(sends).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new NotAcknowledged("Kafka refused the command: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new NotAcknowledged("Kafka did not acknowledge the command within " + timeout, e);
        }
    }

    static Map<String, String> command(MailboxReport.Found found) {
        Map<String, String> command = new LinkedHashMap<>();
        command.put("type", found.reason().wireName());
        command.put("email", found.email().value());
        command.put("source", found.source().wireName());
        command.put("diagnostic", found.diagnostic());
        command.put("commandId", found.commandId());
        return command;
    }
}
