package com.example.subscriptions.kafka;

import static com.example.subscriptions.kafka.LoopHarness.P0;
import static com.example.subscriptions.kafka.LoopHarness.P1;
import static com.example.subscriptions.kafka.LoopHarness.POISON;
import static com.example.subscriptions.kafka.LoopHarness.assertHeader;
import static com.example.subscriptions.kafka.LoopHarness.eventually;
import static com.example.subscriptions.kafka.LoopHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.kafka.LoopHarness.Attempt;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Order per key, concurrency across keys, and commits that never pass an unfinished record. */
class ConsumerLoopTest {

    private final LoopHarness h = new LoopHarness();

    @AfterEach
    void stopTheLoop() throws InterruptedException {
        h.close();
    }

    @Test
    void recordsOfOneKeyRunOneAtATimeInOffsetOrderWhileOtherKeysRunConcurrently() {
        h.start(4);
        h.send(P0, "A", "A", "B", "A"); // offsets 0, 1, 2, 3 in one poll

        Attempt a0 = h.attempt(P0, 0);
        h.attempt(P0, 2); // B starts while A's first record is still running
        h.letTheLoopGoRound();
        assertFalse(h.started(P0, 1), "A@1 must wait for A@0");
        assertFalse(h.started(P0, 3), "A@3 must wait for A@0 and A@1");

        a0.succeed();
        Attempt a1 = h.attempt(P0, 1);
        h.letTheLoopGoRound();
        assertFalse(h.started(P0, 3), "A@3 must wait for A@1");

        a1.succeed();
        h.attempt(P0, 3).succeed();
        assertEquals(List.of(0L, 1L, 3L), h.attempts.startedOffsetsOf("A"));
        assertEquals(1, h.attempts.maxRunningOf("A"), "two records of key A ran at once");
    }

    @Test
    void theHandlerHearsOfAssignedPartitionsBeforeTheLoopCountsAsAMember() {
        h.start(1);

        assertEquals(1, h.assignments.size(), h.assignments.toString());
        String told = h.assignments.get(0);
        assertTrue(
                told.contains(P0.toString()) && told.contains(P1.toString()) && told.endsWith("before joining"), told);
    }

    @Test
    void neverRunsMoreThanMaxInFlightAttemptsAtOnce() {
        h.start(3);
        h.send(P0, "K0", "K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8", "K9");

        eventually().until(() -> h.attempts.running() == 3);
        h.letTheLoopGoRound();
        assertEquals(3, h.attempts.running(), "a fourth key started although three were in flight");

        for (long offset = 0; offset < 10; offset++) {
            h.attempt(P0, offset).succeed(); // each completion frees one slot for the next key
        }
        h.awaitCommitted(P0, 10);
        assertEquals(3, h.attempts.maxRunning());
    }

    @Test
    void aFinishedAttemptStartsTheNextRecordOfItsKeyWithoutWaitingForAPollTimeout() {
        h.start(4);
        h.send(P0, "A", "A");
        Attempt first = h.attempt(P0, 0);
        h.letTheLoopGoRound(); // the loop now waits in poll, with nothing due for a second

        long before = System.nanoTime();
        first.succeed();
        h.attempt(P0, 1);

        long tookMillis = (System.nanoTime() - before) / 1_000_000;
        assertTrue(tookMillis < 500, "the completion did not wake the poll: " + tookMillis + " ms");
    }

    @Test
    void committedOffsetNeverPassesAnUnfinishedRecord() {
        h.start(4);
        h.send(P0, "A", "B", "C");
        Attempt first = h.attempt(P0, 0);
        h.attempt(P0, 1).succeed();
        h.attempt(P0, 2).succeed();

        h.awaitACommitRound();
        h.assertCommittedAtMost(P0, 0);

        first.succeed();
        h.awaitCommitted(P0, 3);
        h.assertCommittedAtMost(P0, 3);
    }

    @Test
    void finishedIsReportedOnceAfterRetriesAndDeadLettersOnThePollThread() {
        h.start(4);
        h.send(P0, "A", "B");

        h.attempt(P0, 0, 1).fail();
        h.attempt(P0, 1).deadLetter("bad");
        h.letTheLoopGoRound();
        h.attempt(P0, 0, 2).succeed();
        h.awaitCommitted(P0, 2);

        assertEquals(2, h.attempts.finished.size(), "once each: " + h.attempts.finished);
        assertEquals(
                Set.of("0 on consumer-loop-under-test", "1 on consumer-loop-under-test"),
                Set.copyOf(h.attempts.finished));
    }

    @Test
    void aRecordTheHandlerCannotPlanIsDeadLetteredAndLaterRecordsAreStillHandled() {
        h.start(4);
        h.send(P0, "A");
        h.sendRecord(P0, "A", POISON + ": not json", new RecordHeaders());
        h.send(P0, "A"); // A@0, poison@1, A@2

        h.attempt(P0, 0).succeed();
        ProducerRecord<byte[], byte[]> copy = h.awaitDeadLetter(1);
        assertEquals(POISON + ": not json", text(copy.value()));
        assertHeader(copy, DeadLetters.ORIGINAL_OFFSET, "1");
        assertTrue(text(copy.headers().lastHeader(DeadLetters.REASON).value()).startsWith("handler failed: "));

        h.attempt(P0, 2).succeed();
        h.awaitCommitted(P0, 3);
        assertFalse(h.started(P0, 1), "the poison record has no work of its own");
    }
}
