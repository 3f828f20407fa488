package com.example.subscriptions.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A token bucket per client, in memory of a fixed size however many clients come: the clients seen least recently
 * are forgotten first, and a forgotten client starts again with a full bucket. Forgetting can only favour a client
 * that has not been seen for a long while, or an attacker with more addresses than the table holds, who gets a fresh
 * bucket for each new address anyway. Every call costs the same: one hash lookup under a lock.
 */
public final class RateLimiter {

    /** Clients remembered at most: about 1.5 MiB at most. */
    public static final int DEFAULT_MAX_CLIENTS = 10_000;

    private static final class Bucket {
        double tokens;
        long updatedNanos;
    }

    private final double capacity;
    private final double tokensPerNano;
    private final Map<String, Bucket> buckets;

    public RateLimiter(RateLimit limit, int maxClients) {
        this.capacity = limit.requests();
        this.tokensPerNano = limit.requests() / (double) limit.per().toNanos();
        this.buckets = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxClients;
            }
        };
    }

    /** Takes one request from the client's bucket: empty when allowed, else how long until it would be. */
    public synchronized Optional<Duration> acquire(String client, long nowNanos) {
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            bucket = new Bucket();
            bucket.tokens = capacity;
            bucket.updatedNanos = nowNanos;
            buckets.put(client, bucket);
        } else {
            bucket.tokens = Math.min(capacity, bucket.tokens + (nowNanos - bucket.updatedNanos) * tokensPerNano);
            bucket.updatedNanos = nowNanos;
        }
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / tokensPerNano)));
    }

    synchronized int clients() {
        return buckets.size();
    }
}
