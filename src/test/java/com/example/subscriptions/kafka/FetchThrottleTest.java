package com.example.subscriptions.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** When fetching pauses and resumes. */
class FetchThrottleTest {

    private final FetchThrottle throttle = new FetchThrottle(128, 256);

    @Test
    void pausesAtTheHighMarkAndResumesOnlyAtTheLowOne() {
        assertEquals(FetchThrottle.Change.NONE, throttle.next(255, false));
        assertEquals(FetchThrottle.Change.PAUSE, throttle.next(256, false));
        assertEquals(FetchThrottle.Change.NONE, throttle.next(200, true));
        assertEquals(FetchThrottle.Change.NONE, throttle.next(129, true));
        assertEquals(FetchThrottle.Change.RESUME, throttle.next(128, true));
        assertEquals(FetchThrottle.Change.NONE, throttle.next(200, false));
    }

    @Test
    void marksMustBeOrdered() {
        assertThrows(IllegalArgumentException.class, () -> new FetchThrottle(256, 256));
    }
}
