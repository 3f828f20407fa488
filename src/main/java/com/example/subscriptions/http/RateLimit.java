package com.example.subscriptions.http;

import java.time.Duration;

/**
 * How many requests one client may make to a route: a bucket of {@code requests} that refills evenly over
 * {@code per}, so a client may burst to the whole bucket and then goes at the refill rate.
 */
public record RateLimit(int requests, Duration per) {

    public static final RateLimit NONE = new RateLimit(Integer.MAX_VALUE, Duration.ofNanos(1));

    public RateLimit {
        if (requests <= 0 || per.isZero() || per.isNegative()) {
            throw new IllegalArgumentException("a rate limit needs a positive count and period");
        }
    }

    public static RateLimit perMinute(int requests) {
        return new RateLimit(requests, Duration.ofMinutes(1));
    }

    boolean unlimited() {
        return this.equals(NONE);
    }
}
