package com.example.subscriptions.kafka;

import static com.example.subscriptions.kafka.LoopHarness.DRAIN_TIMEOUT;
import static com.example.subscriptions.kafka.LoopHarness.P0;
import static com.example.subscriptions.kafka.LoopHarness.P1;
import static com.example.subscriptions.kafka.LoopHarness.eventually;
import static com.example.subscriptions.kafka.LoopHarness.keys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fetching pauses at a high water mark, keeps polling, and resumes only at the low one. */
class BackpressureTest {

    private final LoopHarness h = new LoopHarness();

    @AfterEach
    void stopTheLoop() throws InterruptedException {
        h.close();
    }

    @Test
    void tooManyUnfinishedRecordsPauseFetchingWhilePollingGoesOnAndFinishedWorkResumesIt() {
        h.start(2); // a free slot: a record fetched from a paused partition would start at once
        FetchThrottle throttle =
                LoopHarness.settings(2, DRAIN_TIMEOUT, LoopHarness.TINY_BACKOFF).throttle();
        int count = throttle.highWater() + 44;
        h.send(P0, keys("A", count)); // one key, so the first record holds all the others back
        h.attempt(P0, 0);

        eventually().until(() -> h.consumer.paused().equals(Set.of(P0, P1)));
        long pollsWhenPaused = h.consumer.polls();
        h.letTheLoopGoRound();
        assertTrue(h.consumer.polls() > pollsWhenPaused, "polling stopped while paused");
        h.send(P0, "late"); // fetched only once fetching resumes
        h.letTheLoopGoRound();
        assertFalse(h.started(P0, count), "a record was fetched from a paused partition");

        h.attempts.completeAllNowAndLater();
        eventually().until(() -> h.consumer.paused().isEmpty());
        h.awaitCommitted(P0, count + 1);
    }

    @Test
    void fetchingResumesOnlyOnceHalfTheHighWaterMarkHasDrainedSoItDoesNotToggleWithEveryRecord() {
        h.start(1);
        FetchThrottle throttle =
                LoopHarness.settings(1, DRAIN_TIMEOUT, LoopHarness.TINY_BACKOFF).throttle();
        h.send(P0, keys("A", throttle.highWater() + 100));
        eventually().until(() -> !h.consumer.paused().isEmpty());

        int finished = 0;
        for (; finished < throttle.highWater() - throttle.lowWater() - 1; finished++) {
            h.attempt(P0, finished).succeed();
        }
        h.letTheLoopGoRound();
        assertFalse(
                h.consumer.paused().isEmpty(),
                "resumed after " + finished + " of " + throttle.highWater() + " unfinished records finished");

        h.attempt(P0, finished++).succeed();
        h.attempt(P0, finished++).succeed();
        eventually().until(() -> h.consumer.paused().isEmpty());
        assertEquals(1, h.consumer.pauses(), "fetching was paused more than once");
        assertEquals(1, h.consumer.resumes(), "fetching was resumed more than once");
    }

    @Test
    void onePollAfterResumingCannotOvershootTheHighWaterMark() {
        FetchThrottle throttle = FetchThrottle.forMaxInFlight(64);
        assertEquals(256, throttle.highWater());
        assertEquals(128, throttle.lowWater());
        assertEquals(throttle.highWater() - throttle.lowWater(), throttle.maxPollRecords());
        assertTrue(throttle.lowWater() + throttle.maxPollRecords() <= throttle.highWater());
    }
}
