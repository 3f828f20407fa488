package com.example.subscriptions.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeReplicaLogDirsResult.ReplicaLogDirInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionReplica;

/**
 * Waits until topics just created can take writes. The cluster names a leader for each partition before that broker
 * has created the partition's log; an idempotent producer that writes in between gets NOT_LEADER for its first
 * batch, may have a later batch accepted, and then retries the first one forever on out-of-order sequence numbers
 * (measured here with Kafka 4.4: two minutes until the batch expired). A leader whose log exists is past that.
 */
public final class NewTopics {

    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private NewTopics() {}

    /** True once every partition of {@code topics} has a leader with its log; false if that took over timeout. */
    public static boolean awaitWritable(Admin admin, Collection<String> topics, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (writable(admin, topics)) {
                    return true;
                }
            } catch (ExecutionException | TimeoutException e) {
                // not visible yet
            }
            LockSupport.parkNanos(RECHECK_NANOS);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        return false;
    }

    private static boolean writable(Admin admin, Collection<String> topics)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<String, TopicDescription> described =
                admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
        List<TopicPartitionReplica> leaders = new ArrayList<>();
        for (TopicDescription topic : described.values()) {
            for (var partition : topic.partitions()) {
                if (partition.leader() == null || partition.leader().isEmpty()) {
                    return false;
                }
                leaders.add(new TopicPartitionReplica(
                        topic.name(), partition.partition(), partition.leader().id()));
            }
        }
        Map<TopicPartitionReplica, ReplicaLogDirInfo> logs =
                admin.describeReplicaLogDirs(leaders).all().get(10, TimeUnit.SECONDS);
        return leaders.stream()
                .allMatch(replica ->
                        logs.get(replica) != null && logs.get(replica).getCurrentReplicaLogDir() != null);
    }
}
