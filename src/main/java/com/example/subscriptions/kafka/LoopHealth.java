package com.example.subscriptions.kafka;

import java.time.Duration;
import java.util.Optional;

/**
 * What health checks and metrics read of a {@link ConsumerLoop}, from their own threads: whether it is a member of its
 * group, whether it makes progress, and the error that ended it. Ages are computed when read, so a loop whose poll
 * thread is stuck still shows as stalled.
 */
public final class LoopHealth {

    private final Duration stallTimeout;
    private volatile boolean member;
    private volatile Throwable failure;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile int unfinished;
    private volatile long oldestPolledAtNanos = Long.MAX_VALUE;

    /** @param stallTimeout how long records may wait while none finishes before the loop counts as stalled */
    LoopHealth(Duration stallTimeout) {
        this.stallTimeout = stallTimeout;
    }

    /** True while the group has given this consumer its (possibly empty) share of partitions. */
    public boolean member() {
        return member;
    }

    /** The error that ended the loop, if one did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Whether records have waited longer than the loop's stall timeout while none finished. */
    public boolean stalled() {
        return unfinished > 0 && System.nanoTime() - lastProgressNanos > stallTimeout.toNanos();
    }

    /** Records polled and not yet finished (not counting those given up to another consumer). */
    public int unfinished() {
        return unfinished;
    }

    /** How long the oldest unfinished record has waited since it was polled; zero when there is none. */
    public Duration oldestUnfinishedAge() {
        long polledAt = oldestPolledAtNanos;
        return polledAt == Long.MAX_VALUE ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - polledAt);
    }

    void joinedGroup() {
        member = true;
    }

    void leftGroup() {
        member = false;
    }

    void failed(Throwable error) {
        failure = error;
        member = false;
    }

    void progressed() {
        lastProgressNanos = System.nanoTime();
    }

    /** The loop's state as of one turn of the loop. */
    void looked(int unfinishedNow, long oldestPolledAtNanosNow) {
        unfinished = unfinishedNow;
        oldestPolledAtNanos = oldestPolledAtNanosNow;
        if (unfinishedNow == 0) {
            lastProgressNanos = System.nanoTime();
        }
    }
}
