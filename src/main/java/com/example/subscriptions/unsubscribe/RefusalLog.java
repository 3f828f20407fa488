package com.example.subscriptions.unsubscribe;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per refused link, but at most one a second: a flood of forged links from many addresses must not flood
 * the log too. Every refusal is counted in the metrics all the same; the line says how many it left out.
 */
final class RefusalLog {

    private static final Logger log = LoggerFactory.getLogger(UnsubscribeRoute.class);
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private long lastLineNanos;
    private boolean loggedOnce;
    private int notLogged;

    synchronized void refused(String problem, String method, String client, long nowNanos) {
        if (loggedOnce && nowNanos - lastLineNanos < INTERVAL_NANOS) {
            notLogged++;
            return;
        }
        log.info(
                "Unsubscribe link refused ({}): {} {}{}",
                problem,
                method,
                client,
                notLogged == 0 ? "" : " (and " + notLogged + " more since the last line)");
        loggedOnce = true;
        lastLineNanos = nowNanos;
        notLogged = 0;
    }
}
