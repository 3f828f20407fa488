package com.example.subscriptions.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What may be committed: per partition, the records polled and not yet finished. A commit goes up to the lowest of
 * them (or past the last record polled, when none is left), never beyond, whatever finished after it.
 */
final class OffsetTracker {

    private final Map<TopicPartition, Progress> partitions = new HashMap<>();

    void polled(TrackedRecord record) {
        partitions.computeIfAbsent(record.partition, p -> new Progress()).polled(record);
    }

    void finished(TrackedRecord record) {
        Progress progress = partitions.get(record.partition);
        if (progress != null) {
            progress.unfinished.remove(record.offset());
        }
    }

    /** The positions of these partitions that moved since they were last handed out, now counted as committed. */
    Map<TopicPartition, OffsetAndMetadata> takeCommittable(Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : which) {
            Progress progress = partitions.get(partition);
            if (progress != null && progress.committable() > progress.committed) {
                progress.committed = progress.committable();
                offsets.put(partition, new OffsetAndMetadata(progress.committed));
            }
        }
        return offsets;
    }

    Map<TopicPartition, OffsetAndMetadata> takeCommittable() {
        return takeCommittable(partitions.keySet());
    }

    /**
     * The positions of these partitions, committed already or not (none for a partition nothing was polled of), now
     * counted as committed: for a final commit, which must not trust that the last one succeeded.
     */
    Map<TopicPartition, OffsetAndMetadata> takePositions(Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : which) {
            Progress progress = partitions.get(partition);
            if (progress != null && progress.committable() >= 0) {
                progress.committed = progress.committable();
                offsets.put(partition, new OffsetAndMetadata(progress.committed));
            }
        }
        return offsets;
    }

    /** Whether a commit now would move any position. */
    boolean hasUncommitted() {
        return partitions.values().stream().anyMatch(p -> p.committable() > p.committed);
    }

    /** A commit of these partitions failed: their positions are handed out again by the next commit. */
    void commitFailed(Collection<TopicPartition> which) {
        which.forEach(partition -> {
            Progress progress = partitions.get(partition);
            if (progress != null) {
                progress.committed = -1;
            }
        });
    }

    /** The records of this partition not yet finished, in offset order. */
    List<TrackedRecord> unfinished(TopicPartition partition) {
        Progress progress = partitions.get(partition);
        return progress == null ? List.of() : new ArrayList<>(progress.unfinished.values());
    }

    Optional<TrackedRecord> firstUnfinished(TopicPartition partition) {
        Progress progress = partitions.get(partition);
        return progress == null || progress.unfinished.isEmpty()
                ? Optional.empty()
                : Optional.of(progress.unfinished.firstEntry().getValue());
    }

    /** Forgets partitions this consumer no longer owns. */
    void release(Collection<TopicPartition> which) {
        which.forEach(partitions::remove);
    }

    Set<TopicPartition> partitions() {
        return Set.copyOf(partitions.keySet());
    }

    private static final class Progress {
        final TreeMap<Long, TrackedRecord> unfinished = new TreeMap<>();
        long nextOffset = -1;
        long committed = -1;

        void polled(TrackedRecord record) {
            unfinished.put(record.offset(), record);
            nextOffset = record.offset() + 1;
        }

        long committable() {
            return unfinished.isEmpty() ? nextOffset : unfinished.firstKey();
        }
    }
}
