package com.example.subscriptions.command;

import com.example.subscriptions.core.EmailAddress;
import java.util.concurrent.CompletionStage;

/**
 * Starts and cancels subscriptions. A failed stage means "try again later" (Temporal unreachable, slow, busy);
 * every answer the caller can act on is an {@link Outcome}. {@code requestKey} names the request (the command
 * record's coordinates): a retry with the same key whose first try reached Temporal gets the first try's outcome.
 */
public interface Subscriptions {

    /** SUBSCRIBED or ALREADY_SUBSCRIBED. */
    CompletionStage<Outcome> subscribe(EmailAddress email, String requestKey);

    /** UNSUBSCRIBE_REQUESTED or NOT_SUBSCRIBED. */
    CompletionStage<Outcome> unsubscribe(EmailAddress email, String requestKey);
}
