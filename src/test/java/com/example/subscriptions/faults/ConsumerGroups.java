package com.example.subscriptions.faults;

import com.example.subscriptions.devstack.TestKafka;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

/** What the fault tests ask the cluster about consumer groups: committed offsets, members, and rewinds. */
public final class ConsumerGroups {

    private ConsumerGroups() {}

    public static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** A group's committed offsets, partitions without a commit left out. */
    public static Map<TopicPartition, Long> committed(Admin admin, String groupId)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, Long> committed = new HashMap<>();
        admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata()
                .get()
                .forEach((partition, offset) -> {
                    if (offset != null) {
                        committed.put(partition, offset.offset());
                    }
                });
        return committed;
    }

    /** Committed offsets of a group on the test broker, summed over its partitions (0 for none). */
    public static long committedTotal(String groupId) {
        try (Admin admin = admin(TestKafka.bootstrapServers())) {
            return committed(admin, groupId).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        } catch (ExecutionException | InterruptedException e) {
            throw new IllegalStateException("cannot read the offsets of " + groupId, e);
        }
    }

    /** The end offset of every partition of the topic. */
    public static Map<TopicPartition, Long> endOffsets(Admin admin, String topic)
            throws InterruptedException, ExecutionException {
        int partitions = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .partitions()
                .size();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((p, info) -> end.put(p, info.offset()));
        return end;
    }

    /** Waits until the group is stable with exactly {@code members} members, each with partitions; returns it. */
    public static ConsumerGroupDescription awaitMembers(String groupId, int members, Duration timeout) {
        try (Admin admin = admin(TestKafka.bootstrapServers())) {
            ConsumerGroupDescription[] found = new ConsumerGroupDescription[1];
            FaultChecks.await(timeout)
                    .ignoreExceptions()
                    .alias(groupId + " stable with " + members + " members")
                    .until(() -> {
                        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId))
                                .describedGroups()
                                .get(groupId)
                                .get(10, TimeUnit.SECONDS);
                        found[0] = group;
                        return group.groupState() == GroupState.STABLE
                                && group.members().size() == members
                                && group.members().stream()
                                        .allMatch(m -> !m.assignment()
                                                .topicPartitions()
                                                .isEmpty());
                    });
            return found[0];
        }
    }

    /** Moves the (empty) group's offsets on every partition of {@code topic} back to its beginning. */
    public static void rewind(String groupId, String topic, int partitions, Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> beginning = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            beginning.put(new TopicPartition(topic, p), new OffsetAndMetadata(0));
        }
        try (Admin admin = admin(TestKafka.bootstrapServers())) {
            // Refused while a member that has just left is still counted: try again until the group is empty.
            FaultChecks.await(timeout)
                    .ignoreExceptions()
                    .alias("rewinding " + groupId)
                    .until(() -> {
                        admin.alterConsumerGroupOffsets(groupId, beginning)
                                .all()
                                .get(10, TimeUnit.SECONDS);
                        return true;
                    });
        }
    }
}
