package com.example.subscriptions.app;

import com.example.subscriptions.config.Topics;
import com.example.subscriptions.kafka.NewTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    private TopicSetup() {}

    static void createMissing(Admin admin, Topics topics) {
        List<String> names = List.of(
                topics.commands(),
                topics.events(),
                topics.commandsDeadLetter(),
                topics.detailsRequests(),
                topics.detailsReplies(),
                topics.detailsRequestsDeadLetter(),
                topics.suppressions());
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream()
                    .distinct()
                    .filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, topics.partitions(), (short) topics.replicationFactor())
                            .configs(name.equals(topics.suppressions()) ? SuppressionTopic.CONFIGS : Map.of()))
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
            List<String> created = missing.stream().map(NewTopic::name).toList();
            if (!NewTopics.awaitWritable(admin, created, Duration.ofSeconds(30))) {
                log.warn("Topics {} are not all writable 30 s after their creation; going on", created);
            }
        } catch (ExecutionException | InterruptedException | TimeoutException e) {
            throw new IllegalStateException("Cannot list topics to create the missing ones: " + e, e);
        }
    }
}
