package com.example.subscriptions.kafka;

import java.time.Duration;

/**
 * @param name for logs, metrics and threads
 * @param topic the topic consumed
 * @param deadLetterTopic where records that can never be handled go
 * @param maxInFlight attempts in flight at once
 * @param drainTimeout how long a shutdown or a revocation waits for running attempts before giving their records up
 * @param backoff between the attempts of a record that failed
 * @param stallTimeout how long unfinished records may wait without any record finishing before the loop reports
 *     itself stalled
 */
public record LoopSettings(
        String name,
        String topic,
        String deadLetterTopic,
        int maxInFlight,
        Duration drainTimeout,
        Backoff backoff,
        Duration stallTimeout) {

    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

    public LoopSettings(
            String name,
            String topic,
            String deadLetterTopic,
            int maxInFlight,
            Duration drainTimeout,
            Backoff backoff) {
        this(name, topic, deadLetterTopic, maxInFlight, drainTimeout, backoff, DEFAULT_STALL_TIMEOUT);
    }

    /** When fetching pauses and resumes; the consumer's {@code max.poll.records} must not exceed its step. */
    FetchThrottle throttle() {
        return FetchThrottle.forMaxInFlight(maxInFlight);
    }

    /** The largest {@code max.poll.records} with which one poll cannot overshoot the throttle's high water mark. */
    public int maxPollRecords() {
        return throttle().maxPollRecords();
    }
}
