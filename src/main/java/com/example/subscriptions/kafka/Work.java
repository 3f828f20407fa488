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
     * Starts one attempt and returns at once. A failed attempt is retried with backoff, for as long as it takes, so
     * an attempt must be safe to repeat; final failures are {@link Disposition.DeadLetter}, not exceptions.
     */
    CompletionStage<Disposition> attempt();

    /**
     * Called once, on the poll thread, when the record is finished (done, or copied to the dead letter topic); never
     * for work given up on a rebalance. The place for logs and metrics: attempts complete on threads (Kafka's
     * producer I/O thread, Temporal's) that every other record waits on.
     */
    default void finished() {
    }

    /** An ordering key that no other record shares, for work that need wait for none. */
    static Object ownKey(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
