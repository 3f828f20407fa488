package com.example.subscriptions.command;

import java.util.concurrent.CompletionStage;

/** A subscribe: starts the email's subscription unless one runs. SUBSCRIBED or ALREADY_SUBSCRIBED. */
final class SubscribeApplication implements CommandApplication {

    private final Command.Subscribe command;
    private final Subscriptions subscriptions;
    /** Whether an earlier attempt called Temporal: its call may have been applied and its answer lost. */
    private volatile boolean calledBefore;

    SubscribeApplication(Command.Subscribe command, Subscriptions subscriptions) {
        this.command = command;
        this.subscriptions = subscriptions;
    }

    @Override
    public CompletionStage<Outcome> attempt(CommandPosition at) {
        boolean retry = calledBefore;
        calledBefore = true;
        return subscriptions.subscribe(command.email(), at, retry);
    }
}
