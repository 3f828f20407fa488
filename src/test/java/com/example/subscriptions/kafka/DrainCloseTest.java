package com.example.subscriptions.kafka;

import static com.example.subscriptions.kafka.LoopHarness.P0;
import static com.example.subscriptions.kafka.LoopHarness.P1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.kafka.LoopHarness.Attempt;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stopping: running attempts finish (bounded) and are committed; queued records are left uncommitted. */
class DrainCloseTest {

    private final LoopHarness h = new LoopHarness();

    @AfterEach
    void stopTheLoop() throws InterruptedException {
        h.close();
    }

    @Test
    void stopWaitsForRunningAttemptsCommitsThemAndLeavesQueuedRecordsUncommitted() throws InterruptedException {
        h.start(4);
        h.send(P0, "A", "A"); // A@1 is queued behind A@0
        h.send(P1, "B");
        Attempt a0 = h.attempt(P0, 0);
        Attempt b0 = h.attempt(P1, 0);

        h.loop.stop();
        assertFalse(h.loop.awaitStopped(Duration.ofMillis(200)), "stopped without waiting for running work");
        a0.succeed();
        b0.succeed();

        assertTrue(h.loop.awaitStopped(Duration.ofSeconds(10)));
        assertEquals(Map.of(P0, 1L, P1, 1L), h.consumer.committedWhenClosed());
        assertFalse(h.started(P0, 1), "a queued record was started during shutdown");
        h.assertCommittedAtMost(P0, 1);
    }

    @Test
    void stopGivesUpAttemptsThatOutliveTheDrainTimeoutWithoutCommittingThem() throws InterruptedException {
        h.start(4, Duration.ofMillis(300));
        h.send(P0, "A", "B");
        h.attempt(P0, 0); // never finishes
        h.attempt(P0, 1).succeed();

        h.loop.stop();
        assertTrue(h.loop.awaitStopped(Duration.ofSeconds(10)));
        h.assertCommittedAtMost(P0, 0);
    }

    @Test
    void stopDuringARetryBackoffDoesNotWaitForTheBackoff() throws InterruptedException {
        h.start(
                LoopHarness.settings(
                        4, Duration.ofSeconds(5), new Backoff(Duration.ofSeconds(30), Duration.ofSeconds(30))),
                true);
        h.send(P0, "A");
        h.attempt(P0, 0).fail();
        h.letTheLoopGoRound();

        h.loop.stop();

        assertTrue(h.loop.awaitStopped(Duration.ofSeconds(2)), "the loop waited for a retry it will never run");
        h.assertCommittedAtMost(P0, 0);
    }
}
