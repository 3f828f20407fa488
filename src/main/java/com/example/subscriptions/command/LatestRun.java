package com.example.subscriptions.command;

import java.util.Optional;

/**
 * What Temporal shows of an email's latest run, and what a command at a given position must do about it. Positions
 * make commands idempotent across redeliveries: a command at or before the record that started the run, or the one
 * that cancelled it, was applied already.
 *
 * @param firstRunId the first run of its chain of continued-as-new runs: a cancel addressed to the chain reaches
 *     whichever run of it is current, and never a later subscription's
 * @param startedBy the record that started the run (absent for runs started by others, e.g. the tutorial's client)
 * @param cancelledBy the record whose unsubscribe cancelled it
 * @param confirmedBy double opt-in: the run's {@code confirmedBy} memo, present once its subscriber confirmed
 */
record LatestRun(
        String runId,
        String firstRunId,
        boolean open,
        Optional<CommandPosition> startedBy,
        Optional<CommandPosition> cancelledBy,
        Cancellation cancellation,
        Optional<String> confirmedBy) {

    LatestRun(
            String runId,
            String firstRunId,
            boolean open,
            Optional<CommandPosition> startedBy,
            Optional<CommandPosition> cancelledBy,
            Cancellation cancellation) {
        this(runId, firstRunId, open, startedBy, cancelledBy, cancellation, Optional.empty());
    }

    enum Cancellation {
        NONE,
        /** Requested, and not yet seen by the workflow (only a real server tells this). */
        PENDING,
        /** Seen by the workflow, which recorded who cancelled it: it is saying goodbye, or has. */
        SEEN
    }

    sealed interface Step {}

    /** Nothing to do in Temporal: answer this. */
    record Answer(Outcome outcome) implements Step {}

    /** Start a new run (after this one closes, if it is still saying goodbye). */
    record Start() implements Step {}

    record Cancel() implements Step {}

    Step subscribe(CommandPosition at, boolean retry) {
        if (startedBy.filter(at::sameRecord).isPresent()) {
            return new Answer(retry ? Outcome.SUBSCRIBED : Outcome.ALREADY_SUBSCRIBED);
        }
        if (startedBy.filter(at::atOrBefore).isPresent()) {
            // A replay: a later subscribe (of this email, in this partition) started the latest run.
            return new Answer(Outcome.ALREADY_SUBSCRIBED);
        }
        if (cancelledBy.filter(at::atOrBefore).isPresent()) {
            // A replay of a subscribe the run's own unsubscribe came after.
            return new Answer(Outcome.ALREADY_SUBSCRIBED);
        }
        if (open && cancellation == Cancellation.NONE) {
            return new Answer(Outcome.ALREADY_SUBSCRIBED);
        }
        // Closed, or saying goodbye after an unsubscribe that came first: the subscriber wants a new subscription
        // after it, not to be told they have the one that is ending.
        return new Start();
    }

    Step unsubscribe(CommandPosition at, boolean retry) {
        if (cancelledBy.filter(at::sameRecord).isPresent()) {
            return new Answer(retry ? Outcome.UNSUBSCRIBE_REQUESTED : Outcome.NOT_SUBSCRIBED);
        }
        if (startedBy.filter(at::atOrBefore).isPresent()) {
            // A replay: the run began after this unsubscribe, which applied to an earlier run or to none.
            return new Answer(Outcome.NOT_SUBSCRIBED);
        }
        // A pending cancel is asked for again (a no-op for Temporal), and waited for like a new one.
        return open && cancellation != Cancellation.SEEN ? new Cancel() : new Answer(Outcome.NOT_SUBSCRIBED);
    }
}
