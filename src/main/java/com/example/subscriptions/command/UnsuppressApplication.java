package com.example.subscriptions.command;

import com.example.subscriptions.core.SubscriberIds;
import com.example.subscriptions.suppression.SuppressionList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An operator's lift: UNSUPPRESSED, or NOT_SUPPRESSED when the address was not suppressed when first tried. */
final class UnsuppressApplication implements CommandApplication {

    private final Command.Unsuppress command;
    private final SuppressionList suppressions;
    private final SubscriberIds ids;
    /** Whether the address was suppressed when this record was first tried; null before that. */
    private volatile Boolean suppressedBefore;

    UnsuppressApplication(Command.Unsuppress command, SuppressionList suppressions, SubscriberIds ids) {
        this.command = command;
        this.suppressions = suppressions;
        this.ids = ids;
    }

    @Override
    public CompletionStage<Outcome> attempt(CommandPosition at) {
        String id = ids.workflowId(command.email());
        boolean suppressed = suppressions.find(id).isPresent();
        if (suppressedBefore == null) {
            suppressedBefore = suppressed;
        }
        if (!suppressed) {
            // Never suppressed, or lifted by an earlier attempt of this record whose answer was lost.
            return CompletableFuture.completedFuture(suppressedBefore ? Outcome.UNSUPPRESSED : Outcome.NOT_SUPPRESSED);
        }
        return suppressions.lift(id).thenApply(lifted -> Outcome.UNSUPPRESSED);
    }
}
