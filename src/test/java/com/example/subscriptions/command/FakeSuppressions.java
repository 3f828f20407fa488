package com.example.subscriptions.command;

import com.example.subscriptions.suppression.Suppression;
import com.example.subscriptions.suppression.SuppressionList;
import com.example.subscriptions.suppression.SuppressionReason;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** A suppression list in memory, whose writes and catch-ups a test can hold back or fail. */
final class FakeSuppressions implements SuppressionList {

    final Map<String, Suppression> entries = new ConcurrentHashMap<>();
    /** Every write, in order: "add id reason source commandId" or "lift id". */
    final List<String> writes = new CopyOnWriteArrayList<>();
    /** What each write answers; applied only once the answer completes successfully. */
    volatile Supplier<CompletableFuture<Void>> writeAnswer = () -> CompletableFuture.completedFuture(null);
    /** What each catch-up answers. */
    volatile Supplier<CompletableFuture<Void>> caughtUpAnswer = () -> CompletableFuture.completedFuture(null);

    @Override
    public Optional<SuppressionReason> find(String workflowId) {
        return Optional.ofNullable(entries.get(workflowId))
                .flatMap(entry -> SuppressionReason.ofWireName(entry.reason()));
    }

    @Override
    public CompletionStage<Void> add(String workflowId, Suppression entry) {
        writes.add("add " + workflowId + " " + entry.reason() + " " + entry.source() + " " + entry.commandId());
        return writeAnswer.get().thenRun(() -> entries.put(workflowId, entry));
    }

    @Override
    public CompletionStage<Void> lift(String workflowId) {
        writes.add("lift " + workflowId);
        return writeAnswer.get().thenRun(() -> entries.remove(workflowId));
    }

    @Override
    public CompletableFuture<Void> caughtUp() {
        return caughtUpAnswer.get();
    }

    @Override
    public int size() {
        return entries.size();
    }
}
