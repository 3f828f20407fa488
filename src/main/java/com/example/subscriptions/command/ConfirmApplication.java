package com.example.subscriptions.command;

import java.util.concurrent.CompletionStage;

/** A confirm: the pending subscription of its email sends its welcome. CONFIRMED, NOT_PENDING or NOT_SUBSCRIBED. */
final class ConfirmApplication implements CommandApplication {

    private final Command.Confirm command;
    private final Subscriptions subscriptions;

    ConfirmApplication(Command.Confirm command, Subscriptions subscriptions) {
        this.command = command;
        this.subscriptions = subscriptions;
    }

    @Override
    public CompletionStage<Outcome> attempt(CommandPosition at) {
        // No retry flag needed: the run's memo names the confirm it took, so a retry finds its own answer there.
        return subscriptions.confirm(command.email(), at);
    }
}
