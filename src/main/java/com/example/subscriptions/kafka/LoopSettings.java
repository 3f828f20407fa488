package com.example.subscriptions.kafka;

import java.time.Duration;

/**
 * @param name for logs and threads
 * @param topic the topic consumed
 * @param deadLetterTopic where records that can never be handled go
 * @param maxInFlight records worked on at once
 * @param drainTimeout how long a shutdown or a revocation waits for running work before giving it up (uncommitted)
 */
public record LoopSettings(String name, String topic, String deadLetterTopic, int maxInFlight, Duration drainTimeout,
        Backoff backoff) {

    /** Records held (polled, unfinished) before the loop pauses fetching; it keeps polling to stay in the group. */
    int maxBuffered() {
        return Math.max(4 * maxInFlight, 256);
    }
}
