package com.example.subscriptions.kafka;

import static com.example.subscriptions.kafka.LoopHarness.P0;
import static com.example.subscriptions.kafka.LoopHarness.P1;
import static com.example.subscriptions.kafka.LoopHarness.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.kafka.LoopHarness.Attempt;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Partitions revoked, lost and given back: what is committed, what is left to the next owner, and what waits. */
class RebalanceTest {

    private final LoopHarness h = new LoopHarness();

    @AfterEach
    void stopTheLoop() throws InterruptedException {
        h.close();
    }

    @Test
    void revocationWaitsForRunningAttemptsOfRevokedPartitionsAndCommitsThem() throws InterruptedException {
        h.start(4);
        h.send(P0, "A", "A"); // A@1 is queued behind A@0
        h.send(P1, "B");
        Attempt a0 = h.attempt(P0, 0);
        Attempt b0 = h.attempt(P1, 0);

        CountDownLatch revoking = new CountDownLatch(1);
        CountDownLatch rebalanced = new CountDownLatch(1);
        h.onPollThread(() -> {
            revoking.countDown();
            h.consumer.rebalance(List.of(P1));
            rebalanced.countDown();
        });
        assertTrue(revoking.await(5, TimeUnit.SECONDS));
        assertFalse(rebalanced.await(200, TimeUnit.MILLISECONDS), "revocation did not wait for A@0");
        h.assertCommittedAtMost(P0, 0);

        a0.succeed();
        assertTrue(rebalanced.await(5, TimeUnit.SECONDS));
        assertEquals(1L, h.consumer.lastCommitted(P0));
        assertFalse(h.started(P0, 1), "queued work of a revoked partition was started");
        h.assertCommittedAtMost(P0, 1);

        b0.succeed(); // work of the partition kept goes on as usual
        h.awaitCommitted(P1, 1);
    }

    @Test
    void aRecordGivenUpWhileItsAttemptRunsKeepsItsKeyWaitingUntilThatAttemptEnds() throws InterruptedException {
        h.start(4, Duration.ofMillis(200));
        h.send(P0, "A", "A"); // A@0 runs and hangs (a slow Temporal), A@1 waits behind it
        Attempt slow = h.attempt(P0, 0);

        CountDownLatch rebalanced = new CountDownLatch(1);
        h.onPollThread(() -> {
            h.consumer.rebalance(List.of(P1)); // revoked; the drain times out with A@0 still running
            h.consumer.rebalance(List.of(P0, P1)); // and given back, from the last commit: offset 0
            rebalanced.countDown();
        });
        assertTrue(rebalanced.await(5, TimeUnit.SECONDS));
        h.redeliver(P0, 0, "A");
        h.redeliver(P0, 1, "A");
        h.letTheLoopGoRound();
        h.letTheLoopGoRound();

        assertEquals(
                1,
                h.attempts.of(new LoopHarness.RecordId(0, 0)).size(),
                "A@0 ran again beside its first attempt, whose calls may still land");
        assertFalse(h.started(P0, 1), "A@1 ran while A@0's first attempt was still running");
        h.assertCommittedAtMost(P0, 0);

        slow.succeed(); // it landed: what it did counts for nothing here, and the key may go on
        h.attempt(P0, 0, 2).succeed();
        h.attempt(P0, 1).succeed();
        h.awaitCommitted(P0, 2);
        assertEquals(List.of(0L, 0L, 1L), h.attempts.startedOffsetsOf("A"));
        assertEquals(1, h.attempts.maxRunningOf("A"));
    }

    @Test
    void lostPartitionsAreNotCommittedAndTheLoopIsNoMemberUntilItIsGivenPartitionsAgain() {
        h.start(4);
        h.send(P0, "A", "A");
        Attempt a0 = h.attempt(P0, 0);
        assertTrue(h.loop.health().member());

        h.consumer.loseAllPartitions();
        eventually().until(() -> !h.loop.health().member());
        a0.succeed();
        h.letTheLoopGoRound();

        h.assertCommittedAtMost(P0, 0);
        assertFalse(h.started(P0, 1), "a record of a lost partition was started");
        assertFalse(h.loop.health().member());

        h.consumer.regainAllPartitions();
        eventually().until(() -> h.loop.health().member());
    }
}
