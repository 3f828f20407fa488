package com.example.subscriptions.suppression;

import com.example.subscriptions.core.Utf8;
import com.example.subscriptions.kafka.Backoff;
import com.example.subscriptions.kafka.CompactedTopicTable;
import com.example.subscriptions.kafka.KafkaPublisher;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The suppression list as a compacted topic read as a table: each entry a record keyed by the workflow id, a lift a
 * tombstone. Every instance reads the whole topic into memory at start and tails it; an entry it writes itself is in
 * its table as soon as Kafka acknowledged it. A lookup costs a hash lookup, no Kafka or Temporal call.
 */
public final class KafkaSuppressionList implements SuppressionList, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaSuppressionList.class);

    private final String topic;
    private final KafkaPublisher publisher;
    private final CompactedTopicTable<SuppressionReason> table;
    private final AtomicBoolean unknownReasonLogged = new AtomicBoolean();

    /**
     * @param consumer a consumer without a group, for the list alone
     * @param publisher an idempotent producer with {@code acks=all}, so that an acknowledged entry survives the loss
     *     of a broker
     */
    public KafkaSuppressionList(String topic, Consumer<byte[], byte[]> consumer, KafkaPublisher publisher) {
        this.topic = topic;
        this.publisher = publisher;
        this.table = new CompactedTopicTable<>(topic, consumer, this::reasonOf, Backoff.DEFAULT);
    }

    /** Starts reading the topic; {@link #loaded()} completes once what it held is read. */
    public KafkaSuppressionList start() {
        table.start();
        return this;
    }

    public CompletableFuture<Void> loaded() {
        return table.loaded();
    }

    @Override
    public Optional<SuppressionReason> find(String workflowId) {
        return table.get(workflowId);
    }

    @Override
    public CompletionStage<Void> add(String workflowId, Suppression entry) {
        SuppressionReason reason = SuppressionReason.ofWireName(entry.reason()).orElseThrow();
        return write(workflowId, entry.toBytes(), reason);
    }

    @Override
    public CompletionStage<Void> lift(String workflowId) {
        return write(workflowId, null, null);
    }

    private CompletionStage<Void> write(String workflowId, byte[] value, SuppressionReason reason) {
        return publisher
                .send(new ProducerRecord<>(topic, Utf8.encode(workflowId), value))
                .thenAccept(acked -> table.written(workflowId, reason, acked.partition(), acked.offset()));
    }

    @Override
    public CompletableFuture<Void> caughtUp() {
        return table.caughtUp();
    }

    @Override
    public int size() {
        return table.size();
    }

    /**
     * A value this service did not write (or a later version, with a reason this one does not know) still suppresses
     * its key: mailing an address by mistake is worse than not mailing it.
     */
    private SuppressionReason reasonOf(byte[] value) {
        return Suppression.reasonOf(value).orElseGet(() -> {
            if (unknownReasonLogged.compareAndSet(false, true)) {
                log.warn(
                        "{}: an entry names no reason this version knows; it suppresses its key all the same"
                                + " (counted as a bounce; later ones without a line)",
                        topic);
            }
            return SuppressionReason.BOUNCE;
        });
    }

    @Override
    public void close() {
        table.close();
    }
}
