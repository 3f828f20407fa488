package com.example.subscriptions.app;

import com.example.subscriptions.config.ConfigException;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code subscriptions subscribe|unsubscribe|details EMAIL [--config FILE] [--timeout PT15S]}: sends the command or
 * request through Kafka as any client would, waits for its event or reply, prints it as JSON.
 * Exit codes: 0 done, 1 rejected or not answerable, 2 usage or configuration error, 3 no answer in time.
 */
public final class Cli {

    static final int OK = 0;
    static final int REFUSED = 1;
    static final int USAGE = 2;
    static final int TIMED_OUT = 3;

    private static final String USAGE_TEXT = "usage: subscriptions subscribe|unsubscribe|details EMAIL"
            + " [--config FILE] [--timeout PT15S]";

    private final PrintStream out;
    private final PrintStream err;

    Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs with settings from the usual layers (file, environment, system properties). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new Cli(out, err).run(args, Map.of());
    }

    /** Runs with {@code overrides} on top of the usual layers. */
    public static int run(String[] args, Map<String, String> overrides, PrintStream out, PrintStream err) {
        return new Cli(out, err).run(args, overrides);
    }

    private int run(String[] args, Map<String, String> overrides) {
        List<String> positional = new ArrayList<>();
        Optional<Path> config = Optional.empty();
        Duration timeout = Duration.ofSeconds(15);
        try {
            for (int i = 0; i < args.length; i++) {
                if ((args[i].equals("--config") || args[i].equals("--timeout")) && i + 1 == args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                } else if (args[i].equals("--config")) {
                    config = Optional.of(Path.of(args[++i]));
                } else if (args[i].equals("--timeout")) {
                    timeout = Duration.parse(args[++i]);
                } else {
                    positional.add(args[i]);
                }
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            err.println(e.getMessage() + "\n" + USAGE_TEXT);
            return USAGE;
        }
        if (positional.size() != 2 || !List.of("subscribe", "unsubscribe", "details")
                .contains(positional.get(0).toLowerCase(Locale.ROOT))) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        String action = positional.get(0).toLowerCase(Locale.ROOT);
        EmailAddress.Parsed email = EmailAddress.parse(positional.get(1));
        if (email instanceof EmailAddress.Parsed.Invalid invalid) {
            err.println("Not an email address: " + invalid.reason());
            return USAGE;
        }
        Settings settings;
        try {
            settings = Settings.load(config, System.getenv(), System.getProperties(), overrides);
        } catch (ConfigException e) {
            err.println("Configuration error: " + e.getMessage());
            return USAGE;
        }
        String address = ((EmailAddress.Parsed.Valid) email).email().value();
        return action.equals("details") ? details(settings, address, timeout) : command(settings, action, address,
                timeout);
    }

    private int command(Settings settings, String type, String email, Duration timeout) {
        String commandId = "cli-" + UUID.randomUUID();
        byte[] value = Json.toBytes(Map.of("type", type, "email", email, "commandId", commandId));
        Optional<JsonNode> event = roundTrip(settings, settings.topics().events(),
                new ProducerRecord<>(settings.topics().commands(), utf8(email), value),
                record -> commandId.equals(field(record, "commandId")), timeout);
        if (event.isEmpty()) {
            err.println("No outcome for " + commandId + " on " + settings.topics().events() + " within " + timeout
                    + ": is the service running (commands role)?");
            return TIMED_OUT;
        }
        out.println(event.get().toString());
        return "REJECTED".equals(event.get().path("outcome").asText()) ? REFUSED : OK;
    }

    private int details(Settings settings, String email, Duration timeout) {
        byte[] correlationId = utf8("cli-" + UUID.randomUUID());
        RecordHeaders headers = new RecordHeaders();
        headers.add("kafka_correlationId", correlationId);
        headers.add("kafka_replyTopic", utf8(settings.topics().detailsReplies()));
        headers.add("deadline", utf8(Long.toString(System.currentTimeMillis() + timeout.toMillis())));
        Optional<JsonNode> reply = roundTrip(settings, settings.topics().detailsReplies(),
                new ProducerRecord<>(settings.topics().detailsRequests(), null, utf8(email),
                        Json.toBytes(Map.of("email", email)), headers),
                record -> record.headers().lastHeader("kafka_correlationId") != null
                        && Arrays.equals(correlationId, record.headers().lastHeader("kafka_correlationId").value()),
                timeout);
        if (reply.isEmpty()) {
            err.println("No reply on " + settings.topics().detailsReplies() + " within " + timeout
                    + ": is the service running (responder role)?");
            return TIMED_OUT;
        }
        out.println(reply.get().toString());
        String status = reply.get().path("status").asText();
        return status.equals("UNAVAILABLE") || status.equals("INVALID_REQUEST") ? REFUSED : OK;
    }

    /** Starts reading the answer topic at its end, then sends, then waits for the matching answer. */
    private Optional<JsonNode> roundTrip(Settings settings, String answerTopic, ProducerRecord<byte[], byte[]> send,
            Predicate<ConsumerRecord<byte[], byte[]>> matches, Duration timeout) {
        Properties consumerProps = settings.kafka().forConsumer();
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Properties producerProps = settings.kafka().forProducer();
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(answerTopic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            producer.send(send).get();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (matches.test(record)) {
                        return Optional.of(Json.MAPPER.readTree(record.value()));
                    }
                }
            }
            return Optional.empty();
        } catch (IOException | java.util.concurrent.ExecutionException e) {
            err.println("Kafka error: " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (org.apache.kafka.common.KafkaException e) {
            err.println("Kafka error: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static String field(ConsumerRecord<byte[], byte[]> record, String name) {
        try {
            return record.value() == null ? null : Json.MAPPER.readTree(record.value()).path(name).asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
