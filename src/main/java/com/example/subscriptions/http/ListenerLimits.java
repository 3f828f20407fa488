package com.example.subscriptions.http;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a listener listens and what it tolerates from clients.
 *
 * @param name names its threads, log lines and metrics ({@code ops}, {@code unsubscribe})
 * @param bindAddress the local address to listen on; empty for every interface
 * @param port 0 for any free port
 * @param headerTimeout how long a connection may take to deliver a whole request line and headers, counted from
 *     its opening or from the end of its previous response; then it is closed
 * @param bodyTimeout how long a request's body may take to arrive once its headers are in; then 408 and closed
 * @param idleTimeout how long a connection may go without a byte moving either way (a client that stops reading
 *     its answer); then it is closed
 * @param maxConnections open connections at most; a connection beyond them is closed at once
 * @param maxThreads threads that run requests (none is held while a client is slow or Kafka answers)
 * @param maxHeaderBytes the request line and headers together at most (431 or 414 beyond)
 */
public record ListenerLimits(
        String name,
        Optional<String> bindAddress,
        int port,
        Duration headerTimeout,
        Duration bodyTimeout,
        Duration idleTimeout,
        int maxConnections,
        int maxThreads,
        int maxHeaderBytes) {

    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;

    /** The operators' listener: few clients (probes, Prometheus), the same timeouts, small pools. */
    public static ListenerLimits ops(Optional<String> bindAddress, int port) {
        return new ListenerLimits(
                "ops",
                bindAddress,
                port,
                DEFAULT_HEADER_TIMEOUT,
                DEFAULT_BODY_TIMEOUT,
                DEFAULT_IDLE_TIMEOUT,
                64,
                8,
                DEFAULT_MAX_HEADER_BYTES);
    }
}
