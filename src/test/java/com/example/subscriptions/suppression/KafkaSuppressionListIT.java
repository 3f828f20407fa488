package com.example.subscriptions.suppression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.devstack.TestKafka;
import com.example.subscriptions.kafka.KafkaPublisher;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the list on one real topic, as two commands roles share it: what one writes, the other has once it
 * has caught up; a list started later reads everything; a lift removes the entry from both.
 */
class KafkaSuppressionListIT {

    private final String topic =
            "subscription-suppressions-" + UUID.randomUUID().toString().substring(0, 8);
    private final KafkaPublisher publisher = new KafkaPublisher(producer());
    private KafkaSuppressionList first;
    private KafkaSuppressionList second;
    private KafkaSuppressionList third;

    @AfterEach
    void close() {
        for (KafkaSuppressionList list : new KafkaSuppressionList[] {first, second, third}) {
            if (list != null) {
                list.close();
            }
        }
        publisher.close();
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaSuppressionList list() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        KafkaSuppressionList list = new KafkaSuppressionList(
                topic, new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()), publisher);
        list.start();
        return list;
    }

    private static void await(java.util.concurrent.CompletionStage<Void> stage) throws Exception {
        stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void whatOneInstanceWritesAnotherHasOnceCaughtUpAndALaterOneReadsAtStart() throws Exception {
        TestKafka.createTopics(Map.of(topic, 3));
        first = list();
        second = list();
        await(first.loaded());
        await(second.loaded());

        await(first.add(
                "bob@example.com", Suppression.of(SuppressionReason.BOUNCE, ReportSource.DSN, Instant.now(), "b-1")));
        await(first.add(
                "carol@example.com",
                Suppression.of(SuppressionReason.COMPLAINT, ReportSource.SES, Instant.now(), "c-1")));
        assertEquals(Optional.of(SuppressionReason.BOUNCE), first.find("bob@example.com"), "its own write at once");

        await(second.caughtUp());
        assertEquals(Optional.of(SuppressionReason.BOUNCE), second.find("bob@example.com"));
        assertEquals(Optional.of(SuppressionReason.COMPLAINT), second.find("carol@example.com"));
        assertEquals(2, second.size());

        await(second.lift("bob@example.com"));
        assertEquals(Optional.empty(), second.find("bob@example.com"), "its own lift at once");
        await(first.caughtUp());
        assertEquals(Optional.empty(), first.find("bob@example.com"));
        assertEquals(1, first.size());

        third = list();
        await(third.loaded());
        assertEquals(Optional.empty(), third.find("bob@example.com"));
        assertEquals(Optional.of(SuppressionReason.COMPLAINT), third.find("carol@example.com"));
        assertEquals(1, third.size());
    }

    @Test
    void aListWaitsForItsTopicAndLoadsOnceItExists() throws Exception {
        first = list();
        assertTrue(!first.loaded().isDone(), "loaded without a topic");

        TestKafka.createTopics(Map.of(topic, 1));

        first.loaded().get(60, TimeUnit.SECONDS);
        assertEquals(0, first.size());
    }
}
