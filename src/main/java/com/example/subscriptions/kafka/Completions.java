package com.example.subscriptions.kafka;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * Attempts end on other threads (Temporal's, Kafka's producer thread); they report here. While the poll thread waits
 * in {@code poll}, a report wakes it, so the loop can wait as long as nothing is due instead of polling every few
 * milliseconds to notice finished work.
 */
final class Completions {

    record Completion(TrackedRecord record, Object result, Throwable error) {}

    private final BlockingQueue<Completion> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean pollThreadInPoll = new AtomicBoolean();
    private final Consumer<?, ?> consumer;

    Completions(Consumer<?, ?> consumer) {
        this.consumer = consumer;
    }

    void add(Completion completion) {
        queue.add(completion);
        wakeUpPoll();
    }

    /** Wakes the poll thread if it waits in {@code poll}; any other time, it will look at the queue anyway. */
    void wakeUpPoll() {
        if (pollThreadInPoll.get()) {
            consumer.wakeup();
        }
    }

    /** Called on the poll thread just before {@code poll}; false if something is waiting already, so poll at once. */
    boolean enteringPoll() {
        pollThreadInPoll.set(true);
        return queue.isEmpty();
    }

    void leftPoll() {
        pollThreadInPoll.set(false);
    }

    Completion next() {
        return queue.poll();
    }

    Completion next(long timeoutNanos) throws InterruptedException {
        return queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
    }
}
