package com.example.subscriptions.app;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The suppression list's topic must be compacted, and only compacted: with {@code cleanup.policy=delete} Kafka would
 * drop every suppression after {@code retention.ms} (a week by default) and mail addresses that bounced or complained.
 */
final class SuppressionTopic {

    private static final Logger log = LoggerFactory.getLogger(SuppressionTopic.class);

    /** How the service creates it. */
    static final Map<String, String> CONFIGS =
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);

    private SuppressionTopic() {}

    /**
     * Stops the start if the topic would lose entries; goes on, with a line, if its settings cannot be read (no
     * DescribeConfigs permission) or it does not exist yet (the list waits for it).
     */
    static void checkCompacted(Admin admin, String topic) {
        Optional<String> policy = cleanupPolicy(admin, topic);
        if (policy.isEmpty()) {
            return;
        }
        Set<String> policies = Set.of(policy.get().replace(" ", "").split(","));
        if (!policies.equals(Set.of(TopicConfig.CLEANUP_POLICY_COMPACT))) {
            throw new IllegalStateException("Topic " + topic + " (topics.suppressions) has cleanup.policy="
                    + policy.get() + ": Kafka would delete suppressions after retention.ms. It must be"
                    + " cleanup.policy=compact: kafka-configs.sh --alter --entity-type topics --entity-name " + topic
                    + " --add-config cleanup.policy=compact");
        }
    }

    private static Optional<String> cleanupPolicy(Admin admin, String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = admin.describeConfigs(Set.of(resource))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(resource);
            ConfigEntry entry = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            return entry == null ? Optional.empty() : Optional.ofNullable(entry.value());
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            log.warn("Cannot check that topic {} is compacted ({}); going on", topic, cause.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
