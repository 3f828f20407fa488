package com.example.subscriptions.kafka;

import static com.example.subscriptions.kafka.TrackedRecords.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which record of a key may run. */
class KeyQueuesTest {

    private final KeyQueues queues = new KeyQueues();

    @Test
    void onlyTheFirstRecordOfAKeyMayRunAndRemovingItPromotesTheNext() {
        TrackedRecord a0 = record(0, 0, "A");
        TrackedRecord a1 = record(0, 1, "A");
        TrackedRecord b2 = record(0, 2, "B");

        assertTrue(queues.add(a0));
        assertFalse(queues.add(a1));
        assertTrue(queues.add(b2), "another key does not wait");

        assertEquals(Optional.of(a1), queues.remove(a0));
        assertEquals(Optional.empty(), queues.remove(a1), "the last of its key");
        assertEquals(1, queues.keys());
    }

    @Test
    void removingARecordBehindTheFirstPromotesNothing() {
        TrackedRecord a0 = record(0, 0, "A");
        TrackedRecord a1 = record(0, 1, "A");
        TrackedRecord a2 = record(0, 2, "A");
        queues.add(a0);
        queues.add(a1);
        queues.add(a2);

        assertEquals(Optional.empty(), queues.remove(a1));
        assertTrue(queues.isFirst(a0));
        assertEquals(Optional.of(a2), queues.remove(a0));
    }
}
