package com.example.subscriptions.kafka;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes failed attempts visible without flooding the log: every one is counted, and at most one line per interval is
 * written, saying how many were left out. Through a Temporal outage with hundreds of records retrying, the log gets
 * one line a second per loop, not one per attempt.
 */
final class RetryLog {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    private final String loopName;
    private final long intervalNanos;
    private final LongAdder failedAttempts = new LongAdder();
    private long lastLineNanos;
    private boolean loggedOnce;
    private int notLogged;

    RetryLog(String loopName, Duration interval) {
        this.loopName = loopName;
        this.intervalNanos = interval.toNanos();
    }

    /** Called on the poll thread for each failed attempt that will be retried. */
    void failed(TrackedRecord record, Duration retryIn, long nowNanos) {
        failedAttempts.increment();
        if (loggedOnce && nowNanos - lastLineNanos < intervalNanos) {
            notLogged++;
            return;
        }
        log.warn(
                "{}: {} failed (attempt {}), retrying in {} ms: {}{}",
                loopName,
                record,
                record.failures,
                retryIn.toMillis(),
                record.lastError,
                notLogged == 0 ? "" : " (" + notLogged + " more failed attempts since the last line)");
        loggedOnce = true;
        lastLineNanos = nowNanos;
        notLogged = 0;
    }

    /** Failed attempts since the start, for the retries metric. */
    long failedAttempts() {
        return failedAttempts.sum();
    }

    static Duration defaultInterval() {
        return Duration.ofNanos(TimeUnit.SECONDS.toNanos(1));
    }
}
