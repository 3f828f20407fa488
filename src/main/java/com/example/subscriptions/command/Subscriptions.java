package com.example.subscriptions.command;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.suppression.SuppressionReason;
import java.util.concurrent.CompletionStage;

/**
 * Starts and cancels subscriptions. A failed stage means "try again later" (Temporal unreachable, slow, busy);
 * every answer the caller can act on is an {@link Outcome}.
 *
 * <p>{@code at} is the command record's position. A command at or before the position that started or cancelled the
 * email's latest run was applied already (a redelivery, a replay): it changes nothing and is answered
 * ALREADY_SUBSCRIBED / NOT_SUBSCRIBED, or, when {@code retry} says an earlier try of this very delivery may have
 * reached Temporal and its answer was lost, with the answer that try had.
 */
public interface Subscriptions {

    /** SUBSCRIBED or ALREADY_SUBSCRIBED. */
    CompletionStage<Outcome> subscribe(EmailAddress email, CommandPosition at, boolean retry);

    /** UNSUBSCRIBE_REQUESTED or NOT_SUBSCRIBED. */
    CompletionStage<Outcome> unsubscribe(EmailAddress email, CommandPosition at, boolean retry);

    /**
     * Confirms the email's pending subscription (double opt-in): CONFIRMED, NOT_PENDING or NOT_SUBSCRIBED. A confirm at
     * the position that confirmed the run (a redelivery) is answered CONFIRMED again.
     */
    CompletionStage<Outcome> confirm(EmailAddress email, CommandPosition at);

    /**
     * Ends the email's running subscription without a goodbye email, for a bounce or a complaint: as an unsubscribe,
     * but the workflow, told why, sends nothing more.
     */
    CompletionStage<Ending> end(EmailAddress email, CommandPosition at, SuppressionReason why, boolean retry);

    /**
     * ERASED or NOT_FOUND: terminates the email's running run (no goodbye) and deletes every run of its workflow id.
     */
    CompletionStage<Outcome> erase(EmailAddress email, CommandPosition at, boolean retry);

    /** What ending a subscription found. */
    enum Ending {
        /** The running subscription took this command's cancellation (on a retry: an earlier try's). */
        ENDED,
        /** No subscription was running, or it was ending already, or this record was applied already. */
        NONE_RUNNING
    }
}
