package com.example.subscriptions.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OncePerWindowTest {

    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger runs = new AtomicInteger();
    private final OncePerWindow<String, Optional<String>> once =
            new OncePerWindow<>(Duration.ofSeconds(30), 100, Optional::isPresent, now::get);

    private CompletableFuture<Optional<String>> publish() {
        return CompletableFuture.completedFuture(Optional.of("command-" + runs.incrementAndGet()));
    }

    @Test
    void repeatsWithinTheWindowShareTheFirstRunsResult() {
        OncePerWindow.Run<Optional<String>> first = once.run("alice", this::publish);
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        OncePerWindow.Run<Optional<String>> second = once.run("alice", this::publish);

        assertFalse(first.repeated());
        assertTrue(second.repeated());
        assertEquals(Optional.of("command-1"), second.result().join());
        assertEquals(1, runs.get());
    }

    @Test
    void afterTheWindowTheKeyRunsAgainAndOtherKeysNeverWait() {
        once.run("alice", this::publish);
        once.run("bob", this::publish);
        now.addAndGet(Duration.ofSeconds(30).toNanos());

        assertFalse(once.run("alice", this::publish).repeated());
        assertEquals(3, runs.get());
    }

    @Test
    void repeatsWhileTheFirstRunIsUnderWayWaitForItsResult() {
        CompletableFuture<Optional<String>> kafka = new CompletableFuture<>();
        OncePerWindow.Run<Optional<String>> first = once.run("alice", () -> kafka);
        OncePerWindow.Run<Optional<String>> second = once.run("alice", this::publish);

        assertFalse(second.result().isDone());
        kafka.complete(Optional.of("acked"));

        assertEquals(Optional.of("acked"), second.result().join());
        assertSame(first.result().join(), second.result().join());
        assertEquals(0, runs.get());
    }

    @Test
    void aResultNotWorthKeepingIsForgottenSoTheNextRequestTriesAgain() {
        once.run("alice", () -> CompletableFuture.completedFuture(Optional.empty()));
        once.run("bob", () -> CompletableFuture.failedFuture(new IllegalStateException("kafka down")));

        assertFalse(once.run("alice", this::publish).repeated());
        assertFalse(once.run("bob", this::publish).repeated());
    }

    @Test
    void memoryIsBoundedWhoeverChoosesTheKeys() {
        for (int i = 0; i < 10_000; i++) {
            once.run("user-" + i, this::publish);
        }

        assertEquals(100, once.size());
    }
}
