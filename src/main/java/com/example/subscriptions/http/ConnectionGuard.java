package com.example.subscriptions.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Keeps a listener's connections few and busy. Past {@code maxConnections} a new connection is closed as soon as it
 * opens. And every connection must deliver a whole request head within the header timeout of opening or of its
 * previous answer: an idle timeout alone would let a client that sends a byte every few seconds hold a connection
 * for ever, and the JDK's server a thread with it.
 */
final class ConnectionGuard implements Connection.Listener {

    private final int maxConnections;
    private final long headerTimeoutMillis;
    private final Scheduler scheduler;
    private final HttpObserver observer;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<Connection, Deadline> awaitingHead = new ConcurrentHashMap<>();

    ConnectionGuard(int maxConnections, Duration headerTimeout, Scheduler scheduler, HttpObserver observer) {
        this.maxConnections = maxConnections;
        this.headerTimeoutMillis = headerTimeout.toMillis();
        this.scheduler = scheduler;
        this.observer = observer;
    }

    @Override
    public void onOpened(Connection connection) {
        if (open.incrementAndGet() > maxConnections) {
            observer.connectionRejected();
            connection.getEndPoint().close();
            return;
        }
        awaitHead(connection);
    }

    @Override
    public void onClosed(Connection connection) {
        open.decrementAndGet();
        cancel(connection);
    }

    /** The connection's request head is in: no deadline while the request is served. */
    void requestStarted(Connection connection) {
        cancel(connection);
    }

    /** Answered: the next request's head must come within the timeout, or the connection goes. */
    void requestEnded(Connection connection) {
        if (connection.getEndPoint().isOpen()) {
            awaitHead(connection);
        }
    }

    int openConnections() {
        return open.get();
    }

    boolean atLimit() {
        return open.get() >= maxConnections;
    }

    private void awaitHead(Connection connection) {
        Deadline deadline = new Deadline();
        Deadline previous = awaitingHead.put(connection, deadline);
        if (previous != null) {
            previous.cancel();
        }
        deadline.task = scheduler.schedule(
                () -> {
                    // Only if still awaited: a request that started, or a newer deadline, took it out of the map.
                    if (awaitingHead.remove(connection, deadline)) {
                        observer.timedOut(HttpObserver.Timeout.HEADER);
                        connection.getEndPoint().close();
                    }
                },
                headerTimeoutMillis,
                TimeUnit.MILLISECONDS);
    }

    private void cancel(Connection connection) {
        Deadline deadline = awaitingHead.remove(connection);
        if (deadline != null) {
            deadline.cancel();
        }
    }

    private static final class Deadline {
        volatile Scheduler.Task task;

        void cancel() {
            Scheduler.Task scheduled = task;
            if (scheduled != null) {
                scheduled.cancel();
            }
        }
    }
}
