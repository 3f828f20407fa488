package com.example.subscriptions.kafka;

import java.util.Collection;
import java.util.concurrent.CompletionStage;

/**
 * What the cluster says of topics: the id Kafka gave each when it created it, and its number of partitions. Answers are
 * futures, so that nobody waits on the network where it must not (a poll thread, a rebalance callback).
 *
 * <p>A topic deleted and created again under the same name gets a new id, and its offsets start again at 0: a name
 * and an offset alone do not say which record they mean.
 */
public interface TopicCatalog {

    record TopicFacts(String name, String id, int partitions) {}

    /**
     * The topic's facts, possibly remembered from an earlier lookup. Fails with Kafka's own exception when the cluster
     * says no ({@code UnknownTopicOrPartitionException}, {@code InvalidTopicException},
     * {@code TopicAuthorizationException}) or did not answer in time.
     */
    CompletionStage<TopicFacts> describe(String topic);

    /** Forgets what is known of these topics, so that the next {@link #describe} asks the cluster again. */
    void forget(Collection<String> topics);
}
