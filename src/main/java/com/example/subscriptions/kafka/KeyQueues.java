package com.example.subscriptions.kafka;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The records of each ordering key in the order they were polled. Only the first record of a key may run; the next
 * one becomes first when it is removed. A record stays first while it is {@link RecordState#ORPHANED}, so that
 * nothing of its key runs beside an attempt whose calls may still land.
 */
final class KeyQueues {

    private final Map<Object, ArrayDeque<TrackedRecord>> byKey = new HashMap<>();

    /** Queues the record behind the others of its key; true if it is the first, so it may run now. */
    boolean add(TrackedRecord record) {
        ArrayDeque<TrackedRecord> queue = byKey.computeIfAbsent(record.key(), k -> new ArrayDeque<>());
        queue.addLast(record);
        return queue.size() == 1;
    }

    /** Takes the record out of its key's queue; the record that became first of the key by it, if one did. */
    Optional<TrackedRecord> remove(TrackedRecord record) {
        ArrayDeque<TrackedRecord> queue = byKey.get(record.key());
        if (queue == null) {
            return Optional.empty();
        }
        boolean wasFirst = queue.peekFirst() == record;
        queue.remove(record);
        if (queue.isEmpty()) {
            byKey.remove(record.key());
            return Optional.empty();
        }
        return wasFirst ? Optional.of(queue.peekFirst()) : Optional.empty();
    }

    boolean isFirst(TrackedRecord record) {
        ArrayDeque<TrackedRecord> queue = byKey.get(record.key());
        return queue != null && queue.peekFirst() == record;
    }

    int keys() {
        return byKey.size();
    }
}
