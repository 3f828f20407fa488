package com.example.subscriptions.command;

import java.util.concurrent.CompletionStage;

/** An unsubscribe: cancels the email's running subscription. UNSUBSCRIBE_REQUESTED or NOT_SUBSCRIBED. */
final class UnsubscribeApplication implements CommandApplication {

    private final Command.Unsubscribe command;
    private final Subscriptions subscriptions;
    /** Whether an earlier attempt called Temporal: its call may have been applied and its answer lost. */
    private volatile boolean calledBefore;

    UnsubscribeApplication(Command.Unsubscribe command, Subscriptions subscriptions) {
        this.command = command;
        this.subscriptions = subscriptions;
    }

    @Override
    public CompletionStage<Outcome> attempt(CommandPosition at) {
        boolean retry = calledBefore;
        calledBefore = true;
        return subscriptions.unsubscribe(command.email(), at, retry);
    }
}
