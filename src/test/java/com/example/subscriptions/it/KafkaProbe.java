package com.example.subscriptions.it;

import com.example.subscriptions.contract.PublishedRecords;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.devstack.TestKafka;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;

/**
 * Produces to and reads from the test broker the way an outside client would. Name the topics it reads as
 * {@link #topicsFor} does: it checks each record against the contract of its topic ({@link PublishedRecords}).
 */
public final class KafkaProbe implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(60);

    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
    private final List<Exception> sendFailures = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Reads the given topics from their beginning. */
    public KafkaProbe(String... topics) {
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "2000000");
        producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics));
    }

    public void send(ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("send failed", e);
        }
    }

    /** Sends without waiting; {@link #flush()} waits for every send so far. */
    public void sendAsync(ProducerRecord<byte[], byte[]> record) {
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                sendFailures.add(error);
            }
        });
    }

    public void flush() {
        producer.flush();
        if (!sendFailures.isEmpty()) {
            throw new IllegalStateException("sends failed: " + sendFailures.size(), sendFailures.get(0));
        }
    }

    public void send(String topic, String key, String value) {
        send(new ProducerRecord<>(topic, bytes(key), bytes(value)));
    }

    /** Waits for a record matching the predicate, polling as it goes; returns it. */
    public ConsumerRecord<byte[], byte[]> await(Predicate<ConsumerRecord<byte[], byte[]>> matching) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> {
            pollOnce();
            received.stream().filter(matching).findFirst().ifPresent(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }

    /** Waits until at least {@code count} records match; returns all that match. */
    public List<ConsumerRecord<byte[], byte[]>> awaitCount(
            int count, Predicate<ConsumerRecord<byte[], byte[]>> matching) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> {
            pollOnce();
            return received.stream().filter(matching).count() >= count;
        });
        return received.stream().filter(matching).toList();
    }

    /** Every record read so far that matches (after one more poll). */
    public List<ConsumerRecord<byte[], byte[]>> all(Predicate<ConsumerRecord<byte[], byte[]>> matching) {
        pollOnce();
        return received.stream().filter(matching).toList();
    }

    /** Reads what has arrived; every record the service published is held to the contract as it is read. */
    private void pollOnce() {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
            PublishedRecords.assertConforms(record);
            received.add(record);
        }
    }

    public static Predicate<ConsumerRecord<byte[], byte[]>> onTopic(String topic) {
        return record -> record.topic().equals(topic);
    }

    public static Predicate<ConsumerRecord<byte[], byte[]>> jsonField(String topic, String field, String value) {
        return record -> record.topic().equals(topic)
                && record.value() != null
                && value.equals(json(record).path(field).asText(null));
    }

    public static JsonNode json(ConsumerRecord<byte[], byte[]> record) {
        try {
            return Json.MAPPER.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    public static Map<String, String> topicsFor(String suffix) {
        return Map.of(
                "topics.commands", "subscription-commands-" + suffix,
                "topics.events", "subscription-events-" + suffix,
                "topics.commands-dlt", "subscription-commands-dlt-" + suffix,
                "topics.details-requests", "subscription-details-requests-" + suffix,
                "topics.details-replies", "subscription-details-replies-" + suffix,
                "topics.details-requests-dlt", "subscription-details-requests-dlt-" + suffix,
                "topics.suppressions", "subscription-suppressions-" + suffix);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
