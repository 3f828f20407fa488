package com.example.subscriptions.command;

import com.example.subscriptions.kafka.TopicCatalog;
import com.example.subscriptions.suppression.SuppressionList;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What a command of a newly assigned partition waits for before it is applied:
 *
 * <ul>
 *   <li>its topic's id, looked up again at every assignment: a topic deleted and created again has a new one, and
 *       positions must say which incarnation they belong to;</li>
 *   <li>the suppression list having read every entry written before the assignment: the partition's last owner may
 *       have applied a bounce just before the rebalance, and the subscribe after it must see it. The list's end
 *       offsets are noted when the partitions are assigned; the commands wait until it has read up to them.</li>
 * </ul>
 *
 * Nothing here blocks: the poll thread only notes what to wait for; the commands' attempts wait.
 */
public final class AssignmentGate {

    private final TopicCatalog topics;
    private final SuppressionList suppressions;
    private final Duration maxWait;
    private final Map<TopicPartition, CompletableFuture<Void>> suppressionsRead = new ConcurrentHashMap<>();

    /** @param maxWait how long an attempt waits for the suppression list before it fails and is retried */
    public AssignmentGate(TopicCatalog topics, SuppressionList suppressions, Duration maxWait) {
        this.topics = topics;
        this.suppressions = suppressions;
        this.maxWait = maxWait;
    }

    /** Called on the poll thread, inside the rebalance: starts the lookups, waits for nothing. */
    void assigned(Collection<TopicPartition> partitions) {
        List<String> assignedTopics =
                partitions.stream().map(TopicPartition::topic).distinct().toList();
        topics.forget(assignedTopics);
        assignedTopics.forEach(topics::describe);
        CompletableFuture<Void> caughtUp = suppressions.caughtUp();
        partitions.forEach(partition -> suppressionsRead.put(partition, caughtUp));
    }

    /** The facts of the record's topic, once a command of its partition may be applied. */
    CompletionStage<TopicCatalog.TopicFacts> passed(ConsumerRecord<?, ?> record) {
        CompletableFuture<Void> read = suppressionsRead.get(new TopicPartition(record.topic(), record.partition()));
        CompletionStage<Void> suppressionsReady = read == null || read.isDone() && !read.isCompletedExceptionally()
                ? CompletableFuture.completedFuture(null)
                : read.copy()
                        .orTimeout(maxWait.toMillis(), TimeUnit.MILLISECONDS)
                        .exceptionally(error -> {
                            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                            throw cause instanceof TimeoutException
                                    ? new SuppressionsBehindException(
                                            "the suppression list has not read what was written before this partition was"
                                                    + " assigned within " + maxWait.toMillis() + " ms")
                                    : new CompletionException(cause);
                        });
        return suppressionsReady.thenCompose(ready -> topics.describe(record.topic()));
    }

    /** A command waited too long for the suppression list; it is retried. */
    static final class SuppressionsBehindException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SuppressionsBehindException(String message) {
            super(message, null, false, false);
        }
    }
}
