package com.example.subscriptions.kafka;

import static com.example.subscriptions.kafka.LoopHarness.DRAIN_TIMEOUT;
import static com.example.subscriptions.kafka.LoopHarness.P0;
import static com.example.subscriptions.kafka.LoopHarness.TINY_BACKOFF;
import static com.example.subscriptions.kafka.LoopHarness.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.example.subscriptions.kafka.LoopHarness.Attempt;
import com.example.subscriptions.kafka.LoopHarness.RecordId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Failed attempts: retried with backoff while the key waits and other keys go on; counted, logged at a bounded rate. */
class RetriesTest {

    private final LoopHarness h = new LoopHarness();
    private final Logger loopLog = (Logger) LoggerFactory.getLogger(ConsumerLoop.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @AfterEach
    void stopTheLoop() throws InterruptedException {
        h.close();
        loopLog.detachAppender(logged);
    }

    @Test
    void aFailedAttemptIsRetriedWhileLaterRecordsOfItsKeyWaitAndOtherKeysGoOn() {
        h.start(4);
        h.send(P0, "A", "A", "B"); // A@0, A@1, B@2

        h.attempt(P0, 0, 1).fail();
        h.attempt(P0, 0, 2).fail();
        Attempt third = h.attempt(P0, 0, 3);

        h.attempt(P0, 2).succeed(); // B is not held up by A's retries
        h.send(P0, "B"); // B@3 arrives and runs while A@0 is still being retried
        h.attempt(P0, 3).succeed();
        h.letTheLoopGoRound();
        assertFalse(h.started(P0, 1), "A@1 started before A@0 succeeded");
        h.assertCommittedAtMost(P0, 0);

        third.succeed();
        h.attempt(P0, 1).succeed();
        h.awaitCommitted(P0, 4);
        assertEquals(List.of(0L, 0L, 0L, 1L), h.attempts.startedOffsetsOf("A"));
        assertEquals(2, h.loop.failedAttempts());
    }

    @Test
    void anAttemptThatThrowsInsteadOfFailingItsFutureIsRetried() {
        h.start(4);
        h.attempts.throwOnFirstAttemptOf(new RecordId(0, 0));
        h.send(P0, "A");

        h.attempt(P0, 0, 2).succeed();
        h.awaitCommitted(P0, 1);
    }

    @Test
    void whileARetryIsDueLaterTheLoopWaitsInsteadOfPollingEveryFewMilliseconds() {
        h.start(
                LoopHarness.settings(4, DRAIN_TIMEOUT, new Backoff(Duration.ofMillis(800), Duration.ofSeconds(1))),
                true);
        h.send(P0, "A");
        h.attempt(P0, 0).fail();
        h.letTheLoopGoRound();

        long pollsBefore = h.consumer.polls();
        long before = System.nanoTime();
        Attempt retry = h.attempt(P0, 0, 2);
        long waitedMillis = (System.nanoTime() - before) / 1_000_000;
        long polls = h.consumer.polls() - pollsBefore;

        retry.succeed();
        assertTrue(waitedMillis >= 300, "the retry came after " + waitedMillis + " ms");
        assertTrue(polls <= 10, polls + " polls in the " + waitedMillis + " ms until the retry was due");
    }

    @Test
    void failedAttemptsAreLoggedAtMostOnceASecondSayingHowManyWereLeftOut() {
        logged.start();
        loopLog.addAppender(logged);
        h.start(LoopHarness.settings(64, DRAIN_TIMEOUT, TINY_BACKOFF), true);
        String[] keys = new String[50];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "K" + i;
        }
        h.send(P0, keys);

        for (int round = 1; round <= 3; round++) {
            for (long offset = 0; offset < keys.length; offset++) {
                h.attempt(P0, offset, round).fail();
            }
        }
        eventually().until(() -> h.loop.failedAttempts() == 150);
        h.attempts.completeAllNowAndLater();
        h.awaitCommitted(P0, keys.length);

        List<ILoggingEvent> warnings = logged.list.stream()
                .filter(e -> e.getLevel() == Level.WARN)
                .filter(e -> e.getFormattedMessage().contains("failed (attempt"))
                .toList();
        assertTrue(warnings.size() >= 1 && warnings.size() <= 3, warnings.size() + " lines for 150 failed attempts");
    }
}
