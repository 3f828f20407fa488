package com.example.subscriptions.http;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One path a listener answers, with what it accepts there. The listener does everything a route has in common
 * before the route sees the request: the exact path, the methods ({@code 405} and {@code Allow} for others), the
 * client's rate limit ({@code 429} and {@code Retry-After}), the body's size ({@code 413}) and its arrival in time
 * ({@code 408}); and after: the security headers, {@code HEAD} without a body, the metrics.
 *
 * @param name names the route in metrics and logs
 * @param path the exact path, e.g. {@code /unsubscribe}; nothing below or beside it matches
 * @param methods e.g. {@code GET}, {@code HEAD}, {@code POST}
 * @param maxBodyBytes the largest body accepted; 0 for none
 * @param rateLimit per client address, or {@link RateLimit#NONE}
 */
public record Route(
        String name, String path, Set<String> methods, int maxBodyBytes, RateLimit rateLimit, Handler handler) {

    public Route {
        methods = Set.copyOf(methods);
    }

    /** What a route does with a request that passed the listener's checks. */
    @FunctionalInterface
    public interface Handler {
        /** Must not block: a wait (for Kafka, for a probe) is the future's. */
        CompletableFuture<Reply> handle(RouteRequest request);
    }
}
