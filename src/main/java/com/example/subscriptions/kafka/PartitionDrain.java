package com.example.subscriptions.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the loop does with partitions that leave it, at a revocation, a loss or its shutdown: gives up their waiting
 * records, waits (bounded) for their running attempts, commits what finished, and gives up what still runs.
 */
final class PartitionDrain {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);
    private static final Duration FINAL_COMMIT_TIMEOUT = Duration.ofSeconds(10);

    private final LoopSettings settings;
    private final Consumer<byte[], byte[]> consumer;
    private final RecordBook book;
    private final Completions completions;
    private final WorkRunner runner;

    PartitionDrain(
            LoopSettings settings,
            Consumer<byte[], byte[]> consumer,
            RecordBook book,
            Completions completions,
            WorkRunner runner) {
        this.settings = settings;
        this.consumer = consumer;
        this.book = book;
        this.completions = completions;
        this.runner = runner;
    }

    /**
     * Gives up the waiting records of these partitions and, if {@code waitAndCommit}, waits (bounded) for their
     * running attempts and commits what finished; then gives up what still runs. Completions of other partitions are
     * handled meanwhile.
     */
    void drain(Collection<TopicPartition> leaving, boolean waitAndCommit) {
        book.giveUpWaiting(leaving);
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        try {
            while (waitAndCommit && book.attemptInFlight(leaving) && System.nanoTime() - deadline < 0) {
                Completions.Completion next =
                        completions.next(Math.min(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50)));
                if (next != null) {
                    runner.complete(next);
                    // A retry or a next step of a leaving record is not started here: its next owner does it.
                    book.giveUpWaiting(leaving);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (waitAndCommit) {
            // Their positions in full, not only what moved since the last commit: that one may have failed unseen.
            commitSync(book.takePositions(leaving));
        }
        List<TrackedRecord> orphans = book.orphanRunningAndRelease(leaving);
        if (!orphans.isEmpty()) {
            log.warn(
                    "{}: gave up {} records whose attempts still run, {}: their partitions' next owners run them"
                            + " again, and their keys wait here until those attempts end",
                    settings.name(),
                    orphans.size(),
                    orphans);
        }
    }

    private void commitSync(Map<TopicPartition, OffsetAndMetadata> committable) {
        if (committable.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + FINAL_COMMIT_TIMEOUT.toNanos();
        while (true) {
            try {
                consumer.commitSync(committable, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                return;
            } catch (WakeupException e) {
                // A wakeup meant for the poll this callback runs in; the commit must still happen.
                if (System.nanoTime() - deadline > 0) {
                    log.warn(
                            "{}: final commit of {} kept being interrupted; their records will be redelivered",
                            settings.name(),
                            committable.keySet());
                    return;
                }
            } catch (KafkaException e) {
                log.warn(
                        "{}: final commit of {} failed; their records will be redelivered: {}",
                        settings.name(),
                        committable.keySet(),
                        e.toString());
                return;
            }
        }
    }
}
