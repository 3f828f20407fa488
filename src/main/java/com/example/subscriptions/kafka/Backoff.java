package com.example.subscriptions.kafka;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter, so that retries after an outage do not arrive in lockstep. */
public record Backoff(Duration initial, Duration max) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));

    public Duration delay(int failedAttempts) {
        long base = initial.toMillis() << Math.min(failedAttempts - 1, 20);
        long capped = Math.min(base, max.toMillis());
        long jittered = (long) (capped * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
        return Duration.ofMillis(Math.min(jittered, max.toMillis()));
    }
}
