package com.example.subscriptions.kafka;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.PriorityQueue;

/** Records waiting to retry, by the time their backoff ends. */
final class RetrySchedule {

    private final PriorityQueue<TrackedRecord> byDueTime =
            new PriorityQueue<>(Comparator.comparingLong(r -> r.retryAtNanos));

    void add(TrackedRecord record, long dueAtNanos) {
        record.retryAtNanos = dueAtNanos;
        byDueTime.add(record);
    }

    /** The records due at {@code nowNanos}, earliest first, taken off the schedule. */
    List<TrackedRecord> takeDue(long nowNanos) {
        List<TrackedRecord> due = new ArrayList<>();
        while (!byDueTime.isEmpty() && byDueTime.peek().retryAtNanos - nowNanos <= 0) {
            due.add(byDueTime.poll());
        }
        return due;
    }

    /** When the next record is due, if any waits. */
    OptionalLong nextDueNanos() {
        return byDueTime.isEmpty() ? OptionalLong.empty() : OptionalLong.of(byDueTime.peek().retryAtNanos);
    }

    void remove(TrackedRecord record) {
        byDueTime.remove(record);
    }
}
