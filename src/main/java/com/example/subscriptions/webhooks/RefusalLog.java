package com.example.subscriptions.webhooks;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per refused webhook request, but at most one a second per route: forged requests from many addresses
 * must not flood the log. Every refusal is counted in the metrics all the same; the line says how many it left out.
 */
final class RefusalLog {

    private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String route;
    private final LongSupplier nanoTime;
    private long lastLineNanos;
    private boolean loggedOnce;
    private int notLogged;

    RefusalLog(String route, LongSupplier nanoTime) {
        this.route = route;
        this.nanoTime = nanoTime;
    }

    synchronized void refused(String problem, String client) {
        long now = nanoTime.getAsLong();
        if (loggedOnce && now - lastLineNanos < INTERVAL_NANOS) {
            notLogged++;
            return;
        }
        log.info(
                "Webhook {} refused ({}) from {}{}",
                route,
                problem,
                client,
                notLogged == 0 ? "" : " (and " + notLogged + " more since the last line)");
        loggedOnce = true;
        lastLineNanos = now;
        notLogged = 0;
    }
}
