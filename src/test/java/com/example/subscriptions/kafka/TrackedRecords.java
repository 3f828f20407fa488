package com.example.subscriptions.kafka;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Records for the tests of the loop's parts: topic {@code t}, ordered by the given key. */
final class TrackedRecords {

    private TrackedRecords() {}

    static TrackedRecord record(int partition, long offset, String key) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("t", partition, offset, null, new byte[0]);
        return new TrackedRecord(
                record,
                new Work() {
                    @Override
                    public Object orderingKey() {
                        return key;
                    }

                    @Override
                    public CompletionStage<Disposition> attempt() {
                        return CompletableFuture.completedFuture(Disposition.DONE);
                    }
                },
                0);
    }
}
