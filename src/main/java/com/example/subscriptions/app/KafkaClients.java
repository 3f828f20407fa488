package com.example.subscriptions.app;

import com.example.subscriptions.config.KafkaClientSettings;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Builds the Kafka clients: the service's required settings on top of the user's {@code kafka.*} settings. */
final class KafkaClients {

    private final KafkaClientSettings settings;

    KafkaClients(KafkaClientSettings settings) {
        this.settings = settings;
    }

    /** @param maxPollRecords the most records one poll may return unless the user set {@code max.poll.records} */
    KafkaConsumer<byte[], byte[]> consumer(String groupId, String clientId, int maxPollRecords) {
        return new KafkaConsumer<>(
                consumerProperties(groupId, clientId, maxPollRecords),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    Properties consumerProperties(String groupId, String clientId, int maxPollRecords) {
        Properties props = settings.forConsumer();
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (!"consumer".equalsIgnoreCase(props.getProperty(ConsumerConfig.GROUP_PROTOCOL_CONFIG))) {
            // The classic protocol's incremental assignor: a rebalance moves only the partitions that change owner.
            props.putIfAbsent(
                    ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
            // A crashed instance's partitions wait for its session to expire: 10 s instead of Kafka's 45 moved them
            // in 12 s instead of 47 (docs/reliability.md). Heartbeats have a thread of their own, so only a whole
            // JVM frozen for 10 s is taken for dead. (The consumer protocol takes both from the broker and refuses
            // all three settings.)
            props.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
            props.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
        }
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        // The loop commits exactly what is finished; auto-commit would commit what was merely polled.
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return props;
    }

    /**
     * A consumer outside any group, which a reader assigns itself (the suppression list's): it reads whole topics and
     * commits nothing.
     */
    KafkaConsumer<byte[], byte[]> readerConsumer(String clientId) {
        Properties props = settings.forGrouplessConsumer();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    KafkaProducer<byte[], byte[]> producer(String clientId) {
        return new KafkaProducer<>(producerProperties(clientId), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** With {@code extra} client settings on top, e.g. tracing's interceptor. */
    KafkaProducer<byte[], byte[]> producer(String clientId, java.util.Map<String, String> extra) {
        Properties props = producerProperties(clientId);
        props.putAll(extra);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A producer whose {@code send} never blocks longer than {@code maxBlock}, e.g. for topic metadata. */
    KafkaProducer<byte[], byte[]> producer(String clientId, java.time.Duration maxBlock) {
        Properties props = producerProperties(clientId);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock.toMillis()));
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    Properties producerProperties(String clientId) {
        Properties props = settings.forProducer();
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // How long a send may wait for a topic's metadata (Kafka's default is 60 s). Sends never run on a poll
        // thread, but a reply topic that vanished must fail its request in bounded time, not hold the sender.
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return props;
    }

    Properties admin() {
        return settings.forAdmin();
    }
}
