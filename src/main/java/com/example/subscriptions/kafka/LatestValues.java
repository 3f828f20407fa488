package com.example.subscriptions.kafka;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The latest value of each key of a compacted topic, as {@link CompactedTopicTable} holds them: from two writers that
 * may meet the same record in either order, the reader (in offset order) and this process's own acknowledged writes
 * (at once). Each key remembers the offset its value was written at, so that neither lets an older record overwrite a
 * newer one; a tombstone this process wrote is kept as a marker until the reader passes it. Thread-safe.
 */
final class LatestValues<V> {

    /** A key's value and where it was written; a null value is a tombstone the reader has not reached yet. */
    private record Entry<V>(V value, int partition, long offset) {}

    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    Optional<V> get(String key) {
        Entry<V> entry = entries.get(key);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.value());
    }

    /** How many keys have a value. */
    int size() {
        return size.get();
    }

    /** A record this process wrote, acknowledged at {@code partition} and {@code offset}; null for a tombstone. */
    void written(String key, V value, int partition, long offset) {
        entries.compute(key, (k, old) -> {
            if (old != null && old.partition() == partition && old.offset() >= offset) {
                return old; // the reader applied this record, or a later one, already
            }
            counted(old, value);
            return new Entry<>(value, partition, offset);
        });
    }

    /** A record the reader met; null for a tombstone. */
    void read(String key, V value, int partition, long offset) {
        entries.compute(key, (k, old) -> {
            if (old != null && old.partition() == partition && old.offset() > offset) {
                return old; // written by this process after this record
            }
            counted(old, value);
            // The reader is past this record: a tombstone needs no marker any more.
            return value == null ? null : new Entry<>(value, partition, offset);
        });
    }

    private void counted(Entry<V> old, V value) {
        boolean had = old != null && old.value() != null;
        if (had && value == null) {
            size.decrementAndGet();
        } else if (!had && value != null) {
            size.incrementAndGet();
        }
    }
}
