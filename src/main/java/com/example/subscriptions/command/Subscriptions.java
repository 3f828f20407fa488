package com.example.subscriptions.command;

import com.example.subscriptions.core.EmailAddress;
import java.util.concurrent.CompletionStage;

/**
 * Starts and cancels subscriptions. A failed stage means "try again later" (Temporal unreachable, slow, busy);
 * every answer the caller can act on is an {@link Outcome}.
 */
public interface Subscriptions {

    /** SUBSCRIBED or ALREADY_SUBSCRIBED. */
    CompletionStage<Outcome> subscribe(EmailAddress email);

    /** UNSUBSCRIBE_REQUESTED or NOT_SUBSCRIBED. */
    CompletionStage<Outcome> unsubscribe(EmailAddress email);
}
