package com.example.subscriptions.status;

import com.example.subscriptions.core.Futures;
import com.example.subscriptions.kafka.TopicCatalog;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Whether a reply can go where its request asks. A requester names the reply topic and partition, and Kafka's producer
 * answers a topic or a partition that does not exist by waiting up to {@code max.block.ms} for it to appear, then
 * failing with a timeout that looks like any outage. So the route is checked against the cluster's description of
 * the topic first: a reply that cannot be delivered is dead-lettered with the reason at once, and only failures of
 * the environment are retried. The service never creates reply topics.
 */
final class ReplyRoutes {

    private final TopicCatalog topics;

    ReplyRoutes(TopicCatalog topics) {
        this.topics = topics;
    }

    /** Why a reply cannot be delivered on this route, or empty if it can; fails if the cluster did not answer. */
    CompletionStage<Optional<String>> whyUndeliverable(ReplyRoute route) {
        return check(route, true);
    }

    /** Why a failed send can never succeed on this route, or empty if it may (then the topic is looked up again). */
    Optional<String> whyUndeliverable(ReplyRoute route, Throwable sendFailure) {
        Throwable cause = Futures.cause(sendFailure);
        if (cause instanceof RecordTooLargeException) {
            return Optional.of("the reply is too large: " + cause.getMessage());
        }
        if (cause instanceof InvalidTopicException || cause instanceof AuthorizationException) {
            return Optional.of(cause.toString());
        }
        topics.forget(List.of(route.topic()));
        return Optional.empty();
    }

    private CompletionStage<Optional<String>> check(ReplyRoute route, boolean mayLookAgain) {
        return topics.describe(route.topic())
                .handle((topic, error) -> {
                    if (error != null) {
                        Throwable cause = Futures.cause(error);
                        if (cause instanceof UnknownTopicOrPartitionException) {
                            return CompletableFuture.completedFuture(
                                    Optional.of("topic " + route.topic() + " does not exist"));
                        }
                        if (cause instanceof InvalidTopicException || cause instanceof AuthorizationException) {
                            return CompletableFuture.completedFuture(Optional.of(cause.toString()));
                        }
                        return CompletableFuture.<Optional<String>>failedFuture(cause);
                    }
                    if (route.partition().isPresent() && route.partition().get() < 0) {
                        return CompletableFuture.completedFuture(
                                Optional.of("partition " + route.partition().get() + " does not exist"));
                    }
                    if (route.partition().isEmpty() || route.partition().get() < topic.partitions()) {
                        return CompletableFuture.completedFuture(Optional.<String>empty());
                    }
                    if (mayLookAgain) {
                        // Remembered facts may predate partitions added since: ask the cluster before refusing.
                        topics.forget(List.of(route.topic()));
                        return check(route, false);
                    }
                    return CompletableFuture.completedFuture(Optional.of("topic " + route.topic() + " has "
                            + topic.partitions() + " partitions, so partition "
                            + route.partition().get()
                            + " does not exist"));
                })
                .thenCompose(next -> next);
    }
}
