package com.example.subscriptions.kafka;

import static com.example.subscriptions.kafka.TrackedRecords.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** How far a commit may go. */
class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void aCommitGoesUpToTheFirstUnfinishedRecordAndIsHandedOutOnce() {
        TrackedRecord r0 = record(0, 0, "A");
        TrackedRecord r1 = record(0, 1, "B");
        TrackedRecord r2 = record(0, 2, "C");
        List.of(r0, r1, r2).forEach(tracker::polled);

        tracker.finished(r1);
        tracker.finished(r2);
        assertEquals(Map.of(P0, new OffsetAndMetadata(0)), tracker.takeCommittable());
        assertEquals(Map.of(), tracker.takeCommittable(), "nothing moved since");
        assertFalse(tracker.hasUncommitted());

        tracker.finished(r0);
        assertTrue(tracker.hasUncommitted());
        assertEquals(Map.of(P0, new OffsetAndMetadata(3)), tracker.takeCommittable());
    }

    @Test
    void aFailedCommitIsHandedOutAgain() {
        TrackedRecord r0 = record(0, 0, "A");
        tracker.polled(r0);
        tracker.finished(r0);
        tracker.takeCommittable();

        tracker.commitFailed(List.of(P0));

        assertEquals(Map.of(P0, new OffsetAndMetadata(1)), tracker.takeCommittable());
    }

    @Test
    void partitionsAreCommittedOnTheirOwnAndForgottenWhenReleased() {
        TrackedRecord p0 = record(0, 5, "A");
        TrackedRecord p1 = record(1, 7, "B");
        tracker.polled(p0);
        tracker.polled(p1);
        tracker.finished(p1);

        assertEquals(Map.of(P0, new OffsetAndMetadata(5), P1, new OffsetAndMetadata(8)), tracker.takeCommittable());
        assertEquals(List.of(p0), tracker.unfinished(P0));

        tracker.release(List.of(P0));
        assertEquals(java.util.Set.of(P1), tracker.partitions());
    }

    @Test
    void aLeavingPartitionsPositionIsHandedOutAgainThoughItWasCommittedBefore() {
        TrackedRecord r0 = record(0, 0, "A");
        tracker.polled(r0);
        tracker.finished(r0);
        tracker.takeCommittable(); // committed asynchronously, and that commit may have failed unseen

        assertEquals(Map.of(P0, new OffsetAndMetadata(1)), tracker.takePositions(java.util.List.of(P0)));
    }
}
