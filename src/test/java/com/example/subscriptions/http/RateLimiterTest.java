package com.example.subscriptions.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void aClientBurstsToItsBucketThenWaitsForTheRefill() {
        RateLimiter limiter = new RateLimiter(RateLimit.perMinute(3), 100);

        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.acquire("a", 0).isEmpty());
        }
        Optional<Duration> wait = limiter.acquire("a", 0);

        assertEquals(Optional.of(Duration.ofSeconds(20)), wait);
        assertTrue(limiter.acquire("b", 0).isEmpty(), "another client has a bucket of its own");
        assertTrue(limiter.acquire("a", 20 * SECOND).isEmpty(), "one request back after a third of a minute");
        assertTrue(limiter.acquire("a", 20 * SECOND).isPresent());
    }

    @Test
    void theTableHoldsAtMostItsSizeWhateverTheNumberOfClients() {
        RateLimiter limiter = new RateLimiter(RateLimit.perMinute(1), 1000);

        for (int i = 0; i < 100_000; i++) {
            limiter.acquire("client-" + i, i);
        }

        assertEquals(1000, limiter.clients());
    }

    @Test
    void theLeastRecentlySeenClientIsForgottenFirst() {
        RateLimiter limiter = new RateLimiter(RateLimit.perMinute(1), 2);
        limiter.acquire("flooder", 0);
        limiter.acquire("other", 1);
        assertTrue(limiter.acquire("flooder", 2).isPresent());

        limiter.acquire("newcomer", 3);

        assertTrue(limiter.acquire("flooder", 4).isPresent(), "still remembered: it was seen after 'other'");
    }
}
