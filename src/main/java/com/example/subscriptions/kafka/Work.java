package com.example.subscriptions.kafka;

import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The work one record asks for, as planned by a {@link RecordHandler}. */
public interface Work {

    /**
     * Work with equal keys runs one at a time, in offset order; work with different keys runs concurrently. Must
     * have value equality ({@code String}, a record...).
     */
    Object orderingKey();

    /**
     * Starts one attempt and returns at once, without blocking on the network. A failed attempt (an exception, or a
     * failed stage) is retried with backoff for as long as it takes, so an attempt must be safe to repeat, and fail
     * only for conditions of the environment (a service unreachable, slow or refusing). A record that can never
     * succeed is the work's to recognise: it answers {@link Disposition.DeadLetter} with the reason.
     */
    CompletionStage<Disposition> attempt();

    /**
     * Called once, on the poll thread, when the record is finished (done, or copied to the dead letter topic); never
     * for work given up on a rebalance. The place for logs and metrics: attempts complete on threads (Kafka's
     * producer I/O thread, Temporal's) that every other record waits on.
     */
    default void finished() {}

    /** Work that sends the record straight to the dead letter topic, for a record nothing else can be done with. */
    static Work deadLetter(ConsumerRecord<?, ?> record, String reason) {
        return new Work() {
            @Override
            public Object orderingKey() {
                return ownKey(record);
            }

            @Override
            public CompletionStage<Disposition> attempt() {
                return java.util.concurrent.CompletableFuture.completedFuture(Disposition.deadLetter(reason));
            }
        };
    }

    /** An ordering key that no other record shares, for work that need wait for none. */
    static Object ownKey(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
