package com.example.subscriptions.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a topic's partitions from given offsets up to their ends as they were when reading began (records that
 * arrive meanwhile wait for the next run), a poll's records at a time.
 */
final class DeadLetterReader {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Duration idleTimeout;

    DeadLetterReader(KafkaConsumer<byte[], byte[]> consumer, Duration idleTimeout) {
        this.consumer = consumer;
        this.idleTimeout = idleTimeout;
    }

    /** The group's committed offsets, the beginning where it has none. */
    Map<TopicPartition, Long> committedOrBeginning(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> from = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            from.put(partition, offset == null ? beginning.get(partition) : offset.offset());
        }
        return from;
    }

    /** The first offset at or after {@code since} on each partition (the end where there is none). */
    Map<TopicPartition, Long> since(Collection<TopicPartition> partitions, Instant since) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, since.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> from = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = found.get(partition);
            from.put(partition, offset == null ? end.get(partition) : offset.offset());
        }
        return from;
    }

    /** The partitions' ends now: what a run reads to. */
    Map<TopicPartition, Long> ends(Collection<TopicPartition> partitions) {
        return consumer.endOffsets(partitions);
    }

    /** The ends, or the first record written after {@code until} where that comes first. */
    Map<TopicPartition, Long> endsAt(Collection<TopicPartition> partitions, Instant until) {
        Map<TopicPartition, Long> ends = new HashMap<>(ends(partitions));
        since(partitions, until.plusMillis(1)).forEach((partition, offset) -> ends.merge(partition, offset, Math::min));
        return ends;
    }

    /** Hands every record from {@code from} up to {@code end} to {@code batch}, in offset order per partition. */
    void read(
            Map<TopicPartition, Long> from,
            Map<TopicPartition, Long> end,
            Consumer<List<ConsumerRecord<byte[], byte[]>>> batch) {
        List<TopicPartition> open = new ArrayList<>();
        from.forEach((partition, offset) -> {
            if (offset < end.get(partition)) {
                open.add(partition);
            }
        });
        consumer.assign(open);
        open.forEach(partition -> consumer.seek(partition, from.get(partition)));
        long idleSince = System.nanoTime();
        while (!open.isEmpty()) {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < end.get(partition)) {
                    records.add(record);
                }
            }
            if (!records.isEmpty()) {
                batch.accept(records);
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince > idleTimeout.toNanos()) {
                throw new OperatorCall.Stop(
                        Cli.KAFKA_FAILED,
                        "Kafka returned no records for " + ClientOptions.text(idleTimeout) + " before the end of "
                                + open + ": stopped (what was done so far stands)");
            }
            open.removeIf(partition -> consumer.position(partition) >= end.get(partition));
            consumer.assign(open);
        }
    }
}
