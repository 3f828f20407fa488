package com.example.subscriptions.kafka;

import java.util.Collection;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** What a {@link ConsumerLoop} does with its records. The loop knows nothing else of them. */
@FunctionalInterface
public interface RecordHandler {

    /** Turns a record into work; called on the poll thread, so it must be quick and must not block. */
    Work plan(ConsumerRecord<byte[], byte[]> record);

    /**
     * Called on the poll thread when the group assigns partitions, before any of their records is planned. It runs
     * inside {@code poll}: keep it short.
     */
    default void assigned(Collection<TopicPartition> partitions) {}
}
