package com.example.subscriptions.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** One polled record and its progress. Every field belongs to the poll thread. */
final class TrackedRecord {

    final ConsumerRecord<byte[], byte[]> record;
    final TopicPartition partition;
    final Work work;
    private RecordState state = RecordState.QUEUED;
    /** Failed attempts in a row, for the backoff. */
    int failures;
    /** When a record WAITING_TO_RETRY may run again ({@link System#nanoTime()}). */
    long retryAtNanos;

    Throwable lastError;
    /** Set once the record is to be dead-lettered: from then on its attempts copy it to the dead letter topic. */
    String deadLetterReason;
    /** When it was polled ({@link System#nanoTime()}). */
    final long polledAtNanos;

    TrackedRecord(ConsumerRecord<byte[], byte[]> record, Work work, long polledAtNanos) {
        this.record = record;
        this.partition = new TopicPartition(record.topic(), record.partition());
        this.work = work;
        this.polledAtNanos = polledAtNanos;
    }

    RecordState state() {
        return state;
    }

    void moveTo(RecordState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException(this + " cannot go from " + state + " to " + next);
        }
        state = next;
    }

    Object key() {
        return work.orderingKey();
    }

    long offset() {
        return record.offset();
    }

    @Override
    public String toString() {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
