package com.example.subscriptions.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class EmbeddedKafkaBrokerIT {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBrokerIT.class);
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void producesAndConsumesThroughTestKafka() throws Exception {
        String topic = "devstack-roundtrip-" + UUID.randomUUID();
        TestKafka.createTopics(Map.of(topic, 2));
        TestKafka.createTopics(Map.of(topic, 2)); // idempotent
        log.info("Test Kafka is {} at {}", TestKafka.kind(), TestKafka.bootstrapServers());

        List<String> sent = List.of("one", "two", "three", "four");
        produce(TestKafka.bootstrapServers(), topic, sent);

        List<String> received = consume(TestKafka.bootstrapServers(), topic, sent.size());
        assertEquals(sent.stream().sorted().toList(), received.stream().sorted().toList());
    }

    @Test
    void keepsRecordsAcrossRestart(@TempDir Path dataDir) throws Exception {
        String topic = "devstack-restart";
        long start = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dataDir, false, Map.of())) {
            log.info(
                    "Embedded broker started in {} ms",
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
            int port = broker.port();
            broker.createTopics(Map.of(topic, 1));
            produce(broker.bootstrapServers(), topic, List.of("before-1", "before-2"));

            start = System.nanoTime();
            broker.restart();
            log.info(
                    "Embedded broker restarted in {} ms",
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
            assertEquals(port, broker.port());

            produce(broker.bootstrapServers(), topic, List.of("after-1"));
            assertEquals(List.of("before-1", "before-2", "after-1"), consume(broker.bootstrapServers(), topic, 3));
        }
    }

    private static void produce(String bootstrapServers, String topic, List<String> values)
            throws InterruptedException, ExecutionException {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, value, value)).get();
            }
        }
    }

    /** Polls from the beginning until {@code count} records arrived or the deadline passed. */
    private static List<String> consume(String bootstrapServers, String topic, int count) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "devstack-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class);
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + CONSUME_TIMEOUT.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
