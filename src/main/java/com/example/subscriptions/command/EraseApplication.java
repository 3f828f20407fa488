package com.example.subscriptions.command;

import java.util.concurrent.CompletionStage;

/**
 * An erase: ERASED, or NOT_FOUND when the subscriber has no run. A retry of a record whose earlier attempt may have
 * erased already, and found nothing left, answers what that attempt did.
 */
final class EraseApplication implements CommandApplication {

    private final Command.Erase command;
    private final Subscriptions subscriptions;
    /** Whether an earlier attempt called Temporal: its call may have been applied and its answer lost. */
    private volatile boolean calledBefore;

    EraseApplication(Command.Erase command, Subscriptions subscriptions) {
        this.command = command;
        this.subscriptions = subscriptions;
    }

    @Override
    public CompletionStage<Outcome> attempt(CommandPosition at) {
        boolean retry = calledBefore;
        calledBefore = true;
        return subscriptions.erase(command.email(), at, retry);
    }
}
