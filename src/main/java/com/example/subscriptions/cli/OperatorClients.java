package com.example.subscriptions.cli;

import com.example.subscriptions.config.KafkaClientSettings;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The Kafka clients of the operator's commands, built from the service's kafka.* settings. */
final class OperatorClients {

    private static final String CLIENT_ID = "subscriptions-cli";

    private final KafkaClientSettings kafka;
    private final Duration timeout;

    OperatorClients(KafkaClientSettings kafka, ClientOptions options) {
        this.kafka = kafka;
        this.timeout = options.timeout;
    }

    Duration timeout() {
        return timeout;
    }

    Admin admin() {
        Properties props = kafka.forAdmin();
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(timeout.toMillis(), 30_000)));
        return Admin.create(props);
    }

    /**
     * A consumer that reads committed records only and commits nothing itself; with a group id, its offsets are the
     * group's (what a transaction commits), without one it reads where it is told.
     */
    KafkaConsumer<byte[], byte[]> consumer(String groupId) {
        Properties props = kafka.forGrouplessConsumer();
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A transactional producer: records and consumed offsets commit together, or neither does. */
    KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
        Properties props = kafka.forProducer();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The topic's partitions; a topic that does not exist stops the command with a usage error. */
    List<TopicPartition> partitions(Admin admin, String topic) throws Exception {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
            return description.partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new OperatorCall.Stop(
                        Cli.USAGE,
                        "Topic " + topic + " does not exist at " + kafka.bootstrapServers()
                                + ": is the service set up there, with the same topics.* settings?");
            }
            throw e;
        }
    }
}
