package com.example.subscriptions.kafka;

import static com.example.subscriptions.kafka.TrackedRecords.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** When failed records run again. */
class RetryScheduleTest {

    private final RetrySchedule schedule = new RetrySchedule();

    @Test
    void recordsComeDueInTheOrderOfTheirTimes() {
        TrackedRecord late = record(0, 0, "A");
        TrackedRecord early = record(0, 1, "B");
        schedule.add(late, 300);
        schedule.add(early, 100);

        assertEquals(OptionalLong.of(100), schedule.nextDueNanos());
        assertEquals(List.of(), schedule.takeDue(99));
        assertEquals(List.of(early), schedule.takeDue(100));
        assertEquals(List.of(late), schedule.takeDue(1_000));
        assertEquals(OptionalLong.empty(), schedule.nextDueNanos());
    }

    @Test
    void aRemovedRecordNeverComesDue() {
        TrackedRecord record = record(0, 0, "A");
        schedule.add(record, 100);

        schedule.remove(record);

        assertEquals(List.of(), schedule.takeDue(1_000));
    }
}
