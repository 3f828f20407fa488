package com.example.subscriptions.cli;

import com.example.subscriptions.config.KafkaClientSettings;
import com.example.subscriptions.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request through Kafka, as any client sends it: read the answer topic from its end, send, wait for the answer
 * that matches. The first call to Kafka is bounded by the connect timeout, so an unreachable cluster is reported in
 * seconds rather than after the whole wait.
 */
final class RoundTrip {

    /** How a round trip ended. */
    sealed interface Result {
        record Answered(JsonNode answer) implements Result {}

        record NoAnswer() implements Result {}

        record Unreachable(String why) implements Result {}

        record TopicMissing(String topic) implements Result {}

        record Failed(String why) implements Result {}
    }

    private static final Logger log = LoggerFactory.getLogger(RoundTrip.class);
    private static final String CLIENT_ID = "subscriptions-cli";
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaClientSettings kafka;
    private final Duration timeout;
    private final Duration connectTimeout;

    RoundTrip(KafkaClientSettings kafka, Duration timeout, Duration connectTimeout) {
        this.kafka = kafka;
        this.timeout = timeout;
        this.connectTimeout = connectTimeout.compareTo(timeout) < 0 ? connectTimeout : timeout;
    }

    Result exchange(
            ProducerRecord<byte[], byte[]> request,
            String answerTopic,
            Predicate<ConsumerRecord<byte[], byte[]>> isAnswer) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        KafkaConsumer<byte[], byte[]> consumer = null;
        KafkaProducer<byte[], byte[]> producer = null;
        try {
            consumer =
                    new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<PartitionInfo> answerPartitions;
            try {
                answerPartitions = consumer.partitionsFor(answerTopic, connectTimeout);
            } catch (TimeoutException e) {
                return new Result.Unreachable("no answer within " + ClientOptions.text(connectTimeout));
            }
            log.info("Kafka answered after {} ms", millisSince(started));
            if (answerPartitions.isEmpty()) {
                return new Result.TopicMissing(answerTopic);
            }
            if (consumer.partitionsFor(request.topic(), remaining(deadline)).isEmpty()) {
                return new Result.TopicMissing(request.topic());
            }
            List<TopicPartition> partitions = answerPartitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            for (TopicPartition partition : partitions) {
                consumer.position(partition, remaining(deadline));
            }
            log.info("Reading {} from its end after {} ms", answerTopic, millisSince(started));
            producer = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
            producer.send(request).get(remaining(deadline).toMillis(), TimeUnit.MILLISECONDS);
            log.info("Sent to {}, acknowledged after {} ms", request.topic(), millisSince(started));
            while (System.nanoTime() < deadline) {
                Duration wait = remaining(deadline).compareTo(POLL) < 0 ? remaining(deadline) : POLL;
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
                    if (isAnswer.test(record)) {
                        log.info("Answer on {} after {} ms", answerTopic, millisSince(started));
                        return new Result.Answered(Json.MAPPER.readTree(record.value()));
                    }
                }
            }
            return new Result.NoAnswer();
        } catch (ExecutionException e) {
            return new Result.Failed(
                    "sending to " + request.topic() + " failed: " + e.getCause().getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            return new Result.Failed(
                    "sending to " + request.topic() + " was not acknowledged within " + ClientOptions.text(timeout));
        } catch (TimeoutException e) {
            return new Result.Failed("Kafka stopped answering: " + e.getMessage());
        } catch (IOException e) {
            return new Result.Failed("the answer is not JSON: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result.NoAnswer();
        } catch (KafkaException e) {
            return failure(e);
        } finally {
            // Nothing is left to deliver (the request was acknowledged, or is abandoned): do not wait on Kafka.
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
            if (consumer != null) {
                consumer.close(CloseOptions.timeout(Duration.ZERO));
            }
        }
    }

    /** Typically a client that could not be built because no bootstrap server name resolves. */
    private static Result failure(KafkaException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConfigException
                    && String.valueOf(cause.getMessage()).contains("bootstrap")) {
                return new Result.Unreachable(cause.getMessage());
            }
        }
        return new Result.Failed(e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + e.getCause());
    }

    private Properties consumerProperties() {
        // Assigned partitions, no group: no coordinator to find, nothing to commit.
        Properties props = kafka.forGrouplessConsumer();
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        return props;
    }

    private Properties producerProperties() {
        Properties props = kafka.forProducer();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(connectTimeout.toMillis()));
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        return props;
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private static long millisSince(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
