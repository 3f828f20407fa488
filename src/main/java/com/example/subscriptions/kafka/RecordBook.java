package com.example.subscriptions.kafka;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Every record the loop polled and has not finished: which may run next ({@link KeyQueues}, and a ready queue in
 * which retries that came due go first), when failed ones run again ({@link RetrySchedule}), and how far commits may
 * go ({@link OffsetTracker}). It moves records between their {@link RecordState}s and knows nothing of Kafka's clients.
 */
final class RecordBook {

    private final KeyQueues keys = new KeyQueues();
    private final OffsetTracker offsets = new OffsetTracker();
    private final RetrySchedule retries = new RetrySchedule();
    private final ArrayDeque<TrackedRecord> ready = new ArrayDeque<>();
    private int owned;
    private int attemptsInFlight;

    /** A record just polled: it runs when the records of its key before it have finished. */
    void polled(TrackedRecord record) {
        offsets.polled(record);
        owned++;
        if (keys.add(record)) {
            ready.addLast(record);
        }
    }

    /** The next record allowed to run, if a slot is free: first retries that came due, then in polling order. */
    Optional<TrackedRecord> nextToRun(int maxInFlight, long nowNanos) {
        List<TrackedRecord> due = retries.takeDue(nowNanos);
        for (int i = due.size() - 1; i >= 0; i--) {
            ready.addFirst(due.get(i));
        }
        while (attemptsInFlight < maxInFlight && !ready.isEmpty()) {
            TrackedRecord record = ready.pollFirst();
            // Records given up since they became ready are skipped here rather than searched for then.
            if (record.state() == RecordState.QUEUED || record.state() == RecordState.WAITING_TO_RETRY) {
                return Optional.of(record);
            }
        }
        return Optional.empty();
    }

    /** An attempt of the record starts: RUNNING, or DEAD_LETTERING once its work said it can never succeed. */
    void attemptStarts(TrackedRecord record) {
        record.moveTo(record.deadLetterReason == null ? RecordState.RUNNING : RecordState.DEAD_LETTERING);
        attemptsInFlight++;
    }

    /** Its attempt ended; false if the record was given up meanwhile, so the answer counts for nothing here. */
    boolean attemptEnded(TrackedRecord record) {
        attemptsInFlight--;
        if (record.state() != RecordState.ORPHANED) {
            return true;
        }
        // Whatever the attempt did has landed now: the records of its key may run here again.
        record.moveTo(RecordState.GIVEN_UP);
        keys.remove(record).ifPresent(this::becameFirst);
        return false;
    }

    void retryAt(TrackedRecord record, long dueNanos) {
        record.moveTo(RecordState.WAITING_TO_RETRY);
        retries.add(record, dueNanos);
    }

    void finished(TrackedRecord record) {
        record.moveTo(RecordState.FINISHED);
        owned--;
        offsets.finished(record);
        keys.remove(record).ifPresent(this::becameFirst);
    }

    /** Gives up the records of these partitions that wait (queued or for a retry): their next owner runs them. */
    void giveUpWaiting(Collection<TopicPartition> partitions) {
        for (TrackedRecord record : unfinished(partitions)) {
            if (record.state() == RecordState.QUEUED || record.state() == RecordState.WAITING_TO_RETRY) {
                retries.remove(record);
                record.moveTo(RecordState.GIVEN_UP);
                owned--;
                keys.remove(record).ifPresent(this::becameFirst);
            }
        }
    }

    /**
     * Gives up the records of these partitions whose attempts still run, and forgets the partitions. Each stays first
     * of its key until its attempt ends. Returns them, for the log.
     */
    List<TrackedRecord> orphanRunningAndRelease(Collection<TopicPartition> partitions) {
        List<TrackedRecord> running = unfinished(partitions).stream()
                .filter(r -> r.state() == RecordState.RUNNING || r.state() == RecordState.DEAD_LETTERING)
                .toList();
        running.forEach(record -> {
            record.moveTo(RecordState.ORPHANED);
            owned--;
        });
        offsets.release(partitions);
        return running;
    }

    boolean attemptInFlight(Collection<TopicPartition> partitions) {
        return unfinished(partitions).stream()
                .anyMatch(r -> r.state() == RecordState.RUNNING || r.state() == RecordState.DEAD_LETTERING);
    }

    Map<TopicPartition, OffsetAndMetadata> takeCommittable() {
        return offsets.takeCommittable();
    }

    /**
     * The positions of these partitions as far as a commit may go, whether or not they were committed already, now
     * counted as committed.
     */
    Map<TopicPartition, OffsetAndMetadata> takePositions(Collection<TopicPartition> partitions) {
        return offsets.takePositions(partitions);
    }

    boolean hasUncommitted() {
        return offsets.hasUncommitted();
    }

    void commitFailed(Collection<TopicPartition> partitions) {
        offsets.commitFailed(partitions);
    }

    OptionalLong nextRetryDueNanos() {
        return retries.nextDueNanos();
    }

    Collection<TopicPartition> partitions() {
        return offsets.partitions();
    }

    /** Records polled and not finished, not counting those given up to another consumer. */
    int owned() {
        return owned;
    }

    /** When the oldest unfinished record was polled; {@link Long#MAX_VALUE} when there is none. */
    long oldestPolledAtNanos() {
        long oldest = Long.MAX_VALUE;
        for (TopicPartition partition : offsets.partitions()) {
            Optional<TrackedRecord> first = offsets.firstUnfinished(partition);
            if (first.isPresent()) {
                oldest = Math.min(oldest, first.get().polledAtNanos);
            }
        }
        return oldest;
    }

    private List<TrackedRecord> unfinished(Collection<TopicPartition> partitions) {
        return partitions.stream().flatMap(p -> offsets.unfinished(p).stream()).toList();
    }

    private void becameFirst(TrackedRecord record) {
        if (record.state() == RecordState.QUEUED) {
            ready.addLast(record);
        }
    }
}
