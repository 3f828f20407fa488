package com.example.subscriptions.kafka;

import com.example.subscriptions.core.Futures;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;

/**
 * A {@link TopicCatalog} asking the cluster through an admin client its caller owns. Answers are remembered for
 * {@code maxAge}; failures are not, so the next call asks again.
 */
public final class AdminTopicCatalog implements TopicCatalog {

    private record Lookup(CompletableFuture<TopicFacts> facts, long atNanos) {}

    private final Admin admin;
    private final Duration timeout;
    private final Duration maxAge;
    private final Map<String, Lookup> lookups = new ConcurrentHashMap<>();

    public AdminTopicCatalog(Admin admin, Duration timeout, Duration maxAge) {
        this.admin = admin;
        this.timeout = timeout;
        this.maxAge = maxAge;
    }

    @Override
    public CompletionStage<TopicFacts> describe(String topic) {
        long now = System.nanoTime();
        Lookup known = lookups.get(topic);
        if (known != null
                && now - known.atNanos() < maxAge.toNanos()
                && !known.facts().isCompletedExceptionally()) {
            return known.facts();
        }
        Lookup fresh = new Lookup(new CompletableFuture<>(), now);
        lookups.put(topic, fresh);
        ask(topic, fresh);
        return fresh.facts();
    }

    @Override
    public void forget(Collection<String> topics) {
        topics.forEach(lookups::remove);
    }

    private void ask(String topic, Lookup lookup) {
        CompletableFuture<TopicFacts> facts = lookup.facts();
        facts.whenComplete((ok, error) -> {
            if (error != null) {
                lookups.remove(topic, lookup);
            }
        });
        try {
            admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
                    .topicNameValues()
                    .get(topic)
                    .whenComplete((description, error) -> {
                        if (error != null) {
                            facts.completeExceptionally(Futures.cause(error));
                        } else {
                            facts.complete(new TopicFacts(
                                    description.name(),
                                    description.topicId().toString(),
                                    description.partitions().size()));
                        }
                    });
        } catch (RuntimeException e) {
            facts.completeExceptionally(e);
        }
    }
}
