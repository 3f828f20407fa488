package com.example.subscriptions.kafka;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A producer whose sends never block their caller. {@code Producer.send} itself blocks while it fetches the metadata of
 * a topic it has not written to yet, or of a partition it does not know, for up to {@code max.block.ms}; called on a
 * poll thread, that stops every other record of the loop. So sends are handed, in order, to one sender thread, and
 * the future completes once the broker acknowledged the record or the producer gave up on it. Thread-safe.
 */
public final class KafkaPublisher implements AutoCloseable {

    private final Producer<byte[], byte[]> producer;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "kafka-sender");
        thread.setDaemon(true);
        return thread;
    });

    private final java.util.concurrent.Executor handOff;

    public KafkaPublisher(Producer<byte[], byte[]> producer) {
        this(producer, java.util.function.UnaryOperator.identity());
    }

    /**
     * @param handOff wraps the sender thread, e.g. so that a send runs in its caller's trace context
     */
    public KafkaPublisher(
            Producer<byte[], byte[]> producer,
            java.util.function.UnaryOperator<java.util.concurrent.Executor> handOff) {
        this.producer = producer;
        this.handOff = handOff.apply(sender);
    }

    public CompletableFuture<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            handOff.execute(() -> sendNow(record, acked));
        } catch (RejectedExecutionException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }

    private void sendNow(ProducerRecord<byte[], byte[]> record, CompletableFuture<RecordMetadata> acked) {
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    acked.completeExceptionally(error);
                } else {
                    acked.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
