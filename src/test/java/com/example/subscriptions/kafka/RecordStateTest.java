package com.example.subscriptions.kafka;

import static com.example.subscriptions.kafka.TrackedRecords.record;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The states a record goes through. */
class RecordStateTest {

    @Test
    void aRecordMovesOnlyAlongItsLifecycle() {
        TrackedRecord record = record(0, 0, "A");
        record.moveTo(RecordState.RUNNING);
        record.moveTo(RecordState.WAITING_TO_RETRY);
        record.moveTo(RecordState.RUNNING);
        record.moveTo(RecordState.ORPHANED);

        assertThrows(IllegalStateException.class, () -> record.moveTo(RecordState.RUNNING));
        record.moveTo(RecordState.GIVEN_UP);
        assertTrue(record.state().isFinal());
    }

    @Test
    void finishedAndGivenUpAreFinal() {
        for (RecordState end : List.of(RecordState.FINISHED, RecordState.GIVEN_UP)) {
            for (RecordState next : RecordState.values()) {
                assertFalse(end.canMoveTo(next), end + " -> " + next);
            }
        }
    }
}
