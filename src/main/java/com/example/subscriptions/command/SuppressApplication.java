package com.example.subscriptions.command;

import com.example.subscriptions.core.SubscriberIds;
import com.example.subscriptions.suppression.Suppression;
import com.example.subscriptions.suppression.SuppressionList;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A bounce or complaint: ends the email's running subscription without a goodbye, then suppresses the address.
 * SUPPRESSED, or ALREADY_SUPPRESSED when it was suppressed before this record was first tried.
 *
 * <p>The run is ended first, and on every attempt and redelivery: a crash between the two steps leaves no running
 * subscription behind a suppression, and a repeated report still stops a run that someone else started since. A
 * bounce the worker reported itself ({@code source: smtp}) comes from the run it would end, which ends by itself with
 * the server's reply in its details: cancelling it would only race that.
 */
final class SuppressApplication implements CommandApplication {

    private final Command.Suppress command;
    private final Subscriptions subscriptions;
    private final SuppressionList suppressions;
    private final SubscriberIds ids;
    private final Clock clock;
    private volatile boolean calledBefore;
    /** Whether the address was suppressed when this record was first tried; null before that. */
    private volatile Boolean suppressedBefore;

    SuppressApplication(
            Command.Suppress command,
            Subscriptions subscriptions,
            SuppressionList suppressions,
            SubscriberIds ids,
            Clock clock) {
        this.command = command;
        this.subscriptions = subscriptions;
        this.suppressions = suppressions;
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Outcome> attempt(CommandPosition at) {
        String id = ids.workflowId(command.email());
        if (suppressedBefore == null) {
            suppressedBefore = suppressions.find(id).isPresent();
        }
        return endRun(at).thenCompose(ending -> {
            Outcome outcome = suppressedBefore ? Outcome.ALREADY_SUPPRESSED : Outcome.SUPPRESSED;
            if (suppressions.find(id).isPresent()) {
                // Before this record, or by an earlier attempt of it whose answer was lost.
                return CompletableFuture.completedFuture(outcome);
            }
            Suppression entry =
                    Suppression.of(command.reason(), command.source(), clock.instant(), command.commandId());
            return suppressions.add(id, entry).thenApply(stored -> outcome);
        });
    }

    private CompletionStage<Subscriptions.Ending> endRun(CommandPosition at) {
        if (command.source().endsItsOwnRun()) {
            return CompletableFuture.completedFuture(Subscriptions.Ending.NONE_RUNNING);
        }
        boolean retry = calledBefore;
        calledBefore = true;
        return subscriptions.end(command.email(), at, command.reason(), retry);
    }
}
