package com.example.subscriptions.command;

import com.example.subscriptions.command.TemporalSubscriptions.SubscriptionClosingException;
import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.core.SubscriberIds;
import com.example.subscriptions.workflow.DetailsQuery;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.SendEmailWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowTargetOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The cancel of a subscriber's latest run, for an unsubscribe, a bounce or a complaint, and the wait until the
 * workflow has seen it; whether the run took this command's cancel is the command's outcome.
 */
final class Cancellations {

    private static final long FIRST_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long LAST_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final WorkflowClient client;
    private final SubscriberIds ids;
    private final LatestRuns latestRuns;
    private final DetailsQuery detailsQuery;
    private final Duration closingWait;

    Cancellations(
            WorkflowClient client,
            SubscriberIds ids,
            LatestRuns latestRuns,
            DetailsQuery detailsQuery,
            Duration closingWait) {
        this.client = client;
        this.ids = ids;
        this.latestRuns = latestRuns;
        this.detailsQuery = detailsQuery;
        this.closingWait = closingWait;
    }

    /** Cancels with {@code reason}, which names {@code at}; UNSUBSCRIBE_REQUESTED if the run took this cancel. */
    Outcome cancel(EmailAddress email, CommandPosition at, String reason, boolean retry) {
        Optional<LatestRun> latest = latestRuns.of(email);
        LatestRun.Step step =
                latest.isPresent() ? latest.get().unsubscribe(at, retry) : new LatestRun.Answer(Outcome.NOT_SUBSCRIBED);
        if (step instanceof LatestRun.Answer answer) {
            return answer.outcome();
        }
        // Addressed to the run's chain, not to the email: it reaches the chain's current run even if the run
        // continued as new meanwhile, and never a later subscription that a late call could otherwise end.
        LatestRun run = latest.get();
        client.newUntypedWorkflowStub(WorkflowTargetOptions.newBuilder()
                        .setWorkflowId(ids.workflowId(email))
                        .setFirstExecutionRunId(run.firstRunId())
                        .build())
                .cancel(reason);
        Seen seen = awaitCancellationSeen(email);
        if (seen == Seen.ENDED_OTHERWISE) {
            return Outcome.NOT_SUBSCRIBED; // it ended meanwhile for another reason (a refused address)
        }
        if (seen == Seen.BY_THE_QUERY && run.cancellation() == LatestRun.Cancellation.NONE) {
            // Open, and nobody had asked, when we did: the cancel the workflow took is ours.
            return Outcome.UNSUBSCRIBE_REQUESTED;
        }
        // A cancel was pending before ours (its own, before a crash?), or the query could not tell: the memo says.
        WorkflowExecutionDescription after =
                client.newUntypedWorkflowStub(ids.workflowId(email)).describe();
        String cancelledBy = (String) after.getMemo(SendEmailWorkflow.CANCELLED_BY_MEMO, String.class);
        if (cancelledBy != null) {
            return cancelledBy.equals(reason) ? Outcome.UNSUBSCRIBE_REQUESTED : Outcome.NOT_SUBSCRIBED;
        }
        // A run that writes no memo (a worker of an earlier version, the tutorial's) took the cancel it was open for.
        WorkflowExecutionStatus status = after.getStatus();
        return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                        || status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED
                ? Outcome.UNSUBSCRIBE_REQUESTED
                : Outcome.NOT_SUBSCRIBED;
    }

    /** How an unsubscribe learned that the workflow has seen its cancellation. */
    private enum Seen {
        /** The details query answered unsubscribed, or that the run closed cancelled. */
        BY_THE_QUERY,
        /** The query answered before the workflow took the cancel; the memo, or the run's closing, told. */
        BY_THE_MEMO,
        /** The run closed, and not cancelled. */
        ENDED_OTHERWISE
    }

    /**
     * Returns once the workflow has seen its cancellation, so that the next command for this email finds the run
     * ending: a cancel that lands while the worker holds a workflow task is only delivered after that task. A query
     * is answered after the workflow processed what it was sent before it, so one call waits for the worker; if the
     * answer still says subscribed, the run's memo is looked at until it names its cancellation.
     */
    private Seen awaitCancellationSeen(EmailAddress email) {
        long deadline = System.nanoTime() + closingWait.toNanos();
        try {
            DetailsQuery.Answer answer = detailsQuery.ifOpen(ids.workflowId(email), closingWait);
            if (answer instanceof DetailsQuery.Answer.Closed closed) {
                return closed.status() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED
                        ? Seen.BY_THE_QUERY
                        : Seen.ENDED_OTHERWISE;
            }
            EmailDetails details = ((DetailsQuery.Answer.Open) answer).details();
            // A pending run is not subscribed either, but until it took the cancel its details still say pending.
            if (!details.subscribed() && !details.pending()) {
                return Seen.BY_THE_QUERY;
            }
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                throw notSeenIn(email);
            }
            // The query itself failed (a workflow without it, a worker that cannot replay the run): the cancel is
            // sent all the same, so the memo tells, not the error, which must not make this command a refusal.
        }
        for (long recheckNanos = FIRST_RECHECK_NANOS; ; recheckNanos = Math.min(2 * recheckNanos, LAST_RECHECK_NANOS)) {
            WorkflowExecutionDescription description =
                    client.newUntypedWorkflowStub(ids.workflowId(email)).describe();
            if (description.getMemo(SendEmailWorkflow.CANCELLED_BY_MEMO, String.class) != null
                    || description.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
                return Seen.BY_THE_MEMO;
            }
            if (System.nanoTime() - deadline > 0) {
                throw notSeenIn(email);
            }
            LockSupport.parkNanos(recheckNanos);
        }
    }

    private SubscriptionClosingException notSeenIn(EmailAddress email) {
        return new SubscriptionClosingException("the subscription " + ids.workflowId(email) + " has not seen its"
                + " cancellation within " + closingWait.toMillis() + " ms (is a worker running?)");
    }
}
