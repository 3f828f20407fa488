package com.example.subscriptions.bounces;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ThrottledWarningTest {

    /** A clock the test moves. */
    private static final class Hands extends Clock {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void anOutageOfAnHourWritesALineAMinuteSayingHowManyItLeftOut() {
        Logger logger = (Logger) LoggerFactory.getLogger("throttled-warning-test");
        logger.setAdditive(false); // keeps the test's own lines out of the build's output
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        Hands clock = new Hands();
        ThrottledWarning warning = new ThrottledWarning(logger, Duration.ofMinutes(1), clock);

        for (int poll = 0; poll < 120; poll++) { // every 30 s for an hour
            warning.warn("mailbox down");
            clock.now = clock.now.plusSeconds(30);
        }

        List<String> written =
                lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(60, written.size());
        assertEquals("mailbox down", written.get(0));
        assertEquals("mailbox down (1 more since the last line)", written.get(1));
        logger.detachAppender(lines);
    }
}
