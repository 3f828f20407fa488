package com.example.subscriptions.bounces;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * A condition of the environment (the mailbox unreachable, Kafka not taking a command) logged at most once per
 * interval, the line saying how many it left out: an outage of hours writes a line a minute, not one per poll.
 */
final class ThrottledWarning {

    private final Logger log;
    private final Duration interval;
    private final Clock clock;
    private Instant lastLine;
    private int leftOut;

    ThrottledWarning(Logger log, Duration interval, Clock clock) {
        this.log = log;
        this.interval = interval;
        this.clock = clock;
    }

    synchronized void warn(String message) {
        Instant now = clock.instant();
        if (lastLine != null && now.isBefore(lastLine.plus(interval))) {
            leftOut++;
            return;
        }
        log.warn("{}{}", message, leftOut == 0 ? "" : " (" + leftOut + " more since the last line)");
        lastLine = now;
        leftOut = 0;
    }
}
