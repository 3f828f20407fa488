package com.example.subscriptions.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Stalled means: records wait, none has finished for longer than the loop's own stall timeout. */
class LoopHealthTest {

    @Test
    void recordsWaitingLongerThanTheLoopsStallTimeoutWithNoneFinishingIsAStall() {
        LoopHealth impatient = new LoopHealth(Duration.ZERO);
        LoopHealth patient = new LoopHealth(Duration.ofHours(1));
        impatient.looked(3, System.nanoTime());
        patient.looked(3, System.nanoTime());

        assertTrue(impatient.stalled());
        assertFalse(patient.stalled());
    }

    @Test
    void aLoopWithNothingToDoNeverStalls() {
        LoopHealth health = new LoopHealth(Duration.ZERO);
        health.looked(0, Long.MAX_VALUE);

        assertFalse(health.stalled());
    }
}
