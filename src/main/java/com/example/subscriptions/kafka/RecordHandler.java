package com.example.subscriptions.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What a {@link ConsumerLoop} does with its records. The loop knows nothing else of them. */
@FunctionalInterface
public interface RecordHandler {

    /** Turns a record into work; called on the poll thread, so it must be quick and must not block. */
    Work plan(ConsumerRecord<byte[], byte[]> record);
}
