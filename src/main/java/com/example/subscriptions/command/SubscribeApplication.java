package com.example.subscriptions.command;

import com.example.subscriptions.core.SubscriberIds;
import com.example.subscriptions.suppression.SuppressionList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A subscribe: starts the email's subscription unless one runs. SUBSCRIBED or ALREADY_SUBSCRIBED, or SUPPRESSED, with
 * no call to Temporal, when the address is suppressed.
 */
final class SubscribeApplication implements CommandApplication {

    private final Command.Subscribe command;
    private final Subscriptions subscriptions;
    private final SuppressionList suppressions;
    private final SubscriberIds ids;
    /** Whether an earlier attempt called Temporal: its call may have been applied and its answer lost. */
    private volatile boolean calledBefore;

    SubscribeApplication(
            Command.Subscribe command, Subscriptions subscriptions, SuppressionList suppressions, SubscriberIds ids) {
        this.command = command;
        this.subscriptions = subscriptions;
        this.suppressions = suppressions;
        this.ids = ids;
    }

    @Override
    public CompletionStage<Outcome> attempt(CommandPosition at) {
        if (suppressions.find(ids.workflowId(command.email())).isPresent()) {
            return CompletableFuture.completedFuture(Outcome.SUPPRESSED);
        }
        boolean retry = calledBefore;
        calledBefore = true;
        return subscriptions.subscribe(command.email(), at, retry);
    }
}
