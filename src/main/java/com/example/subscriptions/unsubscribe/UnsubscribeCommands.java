package com.example.subscriptions.unsubscribe;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.core.Utf8;
import com.example.subscriptions.kafka.KafkaPublisher;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns a click into an {@code unsubscribe} (or, on a confirm link, a {@code confirm}) command on the commands topic, keyed by the email like every other
 * command, so it takes the same ordered, effectively-once path and publishes its event.
 */
public final class UnsubscribeCommands {

    /** Every command from a link has an id with this prefix, so its event tells where it came from. */
    public static final String COMMAND_ID_PREFIX = "unsubscribe-link-";
    /** The prefix of the ids of confirm commands from a confirm link (double opt-in). */
    public static final String CONFIRM_ID_PREFIX = "confirm-link-";
    /** A click waits this long at most for Kafka: a reader does not wait longer for a page. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaPublisher publisher;
    private final String commandsTopic;
    private final Duration timeout;

    /** @param timeout how long to wait for Kafka's acknowledgement before answering that it failed */
    public UnsubscribeCommands(KafkaPublisher publisher, String commandsTopic, Duration timeout) {
        this.publisher = publisher;
        this.commandsTopic = commandsTopic;
        this.timeout = timeout;
    }

    /** The command's id once Kafka acknowledged it; empty if Kafka failed or did not answer in time. Never waits. */
    CompletableFuture<Optional<String>> publish(EmailAddress email) {
        return publish(email, "unsubscribe", COMMAND_ID_PREFIX);
    }

    /** A {@code confirm} command, as {@link #publish(EmailAddress)}. */
    CompletableFuture<Optional<String>> publishConfirm(EmailAddress email) {
        return publish(email, "confirm", CONFIRM_ID_PREFIX);
    }

    private CompletableFuture<Optional<String>> publish(EmailAddress email, String type, String idPrefix) {
        String commandId = idPrefix + UUID.randomUUID();
        Map<String, String> command = new LinkedHashMap<>();
        command.put("type", type);
        command.put("email", email.value());
        command.put("commandId", commandId);
        return publisher
                .send(new ProducerRecord<>(commandsTopic, Utf8.encode(email.value()), Json.toBytes(command)))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((acknowledged, error) -> error == null ? Optional.of(commandId) : Optional.empty());
    }

    Duration timeout() {
        return timeout;
    }
}
