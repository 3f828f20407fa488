package com.example.subscriptions.app;

import com.example.subscriptions.config.Topics;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the service's topics that do not exist yet. */
final class TopicSetup {

    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {
    }

    /**
     * A topic just created has no partition leaders for a moment; an idempotent producer that writes then can get
     * NOT_LEADER and then stall on out-of-order sequence numbers, so wait until every partition has a leader.
     */
    private static void awaitLeaders(Admin admin, List<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                boolean allLed = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values()
                        .stream().allMatch(topic -> topic.partitions().stream().allMatch(p -> p.leader() != null
                                && !p.leader().isEmpty()));
                if (allLed) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // not visible yet
            }
            Thread.sleep(50);
        }
        log.warn("Topics {} still have partitions without a leader after 30 s", names);
    }

    static void createMissing(Properties adminProps, Topics topics) {
        List<String> names = List.of(topics.commands(), topics.events(), topics.commandsDeadLetter(),
                topics.detailsRequests(), topics.detailsReplies(), topics.detailsRequestsDeadLetter());
        try (Admin admin = Admin.create(adminProps)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream().distinct().filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, topics.partitions(), (short) topics.replicationFactor()))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            admin.createTopics(missing).values().forEach((name, created) -> {
                try {
                    created.get(30, TimeUnit.SECONDS);
                    log.info("Created topic {} ({} partitions)", name, topics.partitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + name + ": " + e.getCause(), e);
                    }
                } catch (InterruptedException | TimeoutException e) {
                    throw new IllegalStateException("Cannot create topic " + name + ": " + e, e);
                }
            });
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException | InterruptedException | TimeoutException e) {
            throw new IllegalStateException("Cannot list topics to create the missing ones: " + e, e);
        }
    }
}
