package com.example.subscriptions.http;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Runs an action once per key per window: a repeat of the key while the first run is under way or within the window
 * after it started gets the first run's result instead of a run of its own. A run whose result is not worth keeping
 * (it failed) is forgotten at once, so the next request tries again. Bounded in memory whoever picks the keys: past
 * {@code maxKeys} the oldest key is forgotten, which at worst lets it run once more. Every call costs the same.
 */
public final class OncePerWindow<K, V> {

    /** The result of a call: the run's outcome, and whether this call started it or repeated an earlier one. */
    public record Run<V>(CompletableFuture<V> result, boolean repeated) {}

    private record Entry<V>(CompletableFuture<V> result, long startedNanos) {}

    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Predicate<V> keep;
    private final Map<K, Entry<V>> entries;

    /**
     * @param keep whether a result is kept for the window; one that is not is forgotten when it arrives
     * @param nanoClock {@code System::nanoTime}, or a test's clock
     */
    public OncePerWindow(Duration window, int maxKeys, Predicate<V> keep, LongSupplier nanoClock) {
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
        this.keep = keep;
        // In order of start, so the oldest, and the expired, are first in line to go.
        this.entries = new LinkedHashMap<>(64, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
                return size() > maxKeys;
            }
        };
    }

    public Run<V> run(K key, Supplier<CompletableFuture<V>> action) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        Entry<V> entry;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            dropOneExpired(now);
            Entry<V> earlier = entries.get(key);
            if (earlier != null && now - earlier.startedNanos() < windowNanos) {
                return new Run<>(earlier.result(), true);
            }
            entries.remove(key);
            entry = new Entry<>(mine, now);
            entries.put(key, entry);
        }
        CompletableFuture<V> started;
        try {
            started = action.get();
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        started.whenComplete((value, error) -> {
            if (error != null || !keep.test(value)) {
                forget(key, entry);
            }
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                mine.complete(value);
            }
        });
        return new Run<>(mine, false);
    }

    private synchronized void forget(K key, Entry<V> entry) {
        entries.remove(key, entry);
    }

    /** Keeps the table from holding expired keys for long without ever scanning it: one look per call. */
    private void dropOneExpired(long now) {
        Iterator<Entry<V>> oldest = entries.values().iterator();
        if (oldest.hasNext()) {
            Entry<V> entry = oldest.next();
            if (now - entry.startedNanos() >= windowNanos && entry.result().isDone()) {
                oldest.remove();
            }
        }
    }

    synchronized int size() {
        return entries.size();
    }
}
