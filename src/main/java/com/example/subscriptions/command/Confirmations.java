package com.example.subscriptions.command;

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
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowTargetOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Double opt-in on the bridge's side. A confirm is a signal, not an update: a signal needs no worker to be accepted
 * (like the start and the cancel), the tutorial's Python worker simply ignores it, and the run's {@code confirmedBy}
 * memo, read by the describe every command makes anyway, tells a redelivered confirm what the first one did, across
 * any number of retries; an update's id would do that only within one run, and a rejected update is not remembered.
 */
final class Confirmations {

    private static final long FIRST_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long LAST_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final WorkflowClient client;
    private final SubscriberIds ids;
    private final LatestRuns latestRuns;
    private final DetailsQuery detailsQuery;
    private final Duration wait;

    Confirmations(WorkflowClient client, SubscriberIds ids, LatestRuns latestRuns, Duration wait) {
        this.ids = ids;
        this.client = client;
        this.latestRuns = latestRuns;
        this.detailsQuery = new DetailsQuery(client);
        this.wait = wait;
    }

    /** CONFIRMED once the pending run took this confirm (memo {@code confirm <position>}), else why not. */
    Outcome confirm(EmailAddress email, CommandPosition at) {
        String by = at.cancelReason(Command.Confirm.TYPE);
        Optional<LatestRun> latest = latestRuns.of(email);
        if (latest.isEmpty()) {
            return Outcome.NOT_SUBSCRIBED;
        }
        LatestRun run = latest.get();
        if (run.confirmedBy().isPresent()) {
            return run.confirmedBy().get().equals(by) ? Outcome.CONFIRMED : Outcome.NOT_PENDING;
        }
        if (!run.open() || run.cancellation() != LatestRun.Cancellation.NONE) {
            return Outcome.NOT_SUBSCRIBED;
        }
        EmailDetails details;
        try {
            DetailsQuery.Answer answer = detailsQuery.ifOpen(ids.workflowId(email), wait);
            if (answer instanceof DetailsQuery.Answer.Closed) {
                return Outcome.NOT_SUBSCRIBED;
            }
            details = ((DetailsQuery.Answer.Open) answer).details();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                throw notSeen(email);
            }
            throw e;
        }
        if (!details.pending()) {
            return details.subscribed() ? Outcome.NOT_PENDING : Outcome.NOT_SUBSCRIBED;
        }
        chain(email, run).signal(SendEmailWorkflow.CONFIRM_SIGNAL, by);
        return awaitConfirmationSeen(email, by);
    }

    /**
     * A subscribe for an email whose run is open: if it may be pending, asks it to re-send its confirmation (the
     * workflow sends one at most once per resend period, and ignores the signal once confirmed).
     */
    void resendIfPending(EmailAddress email, LatestRun run) {
        if (run.open() && run.confirmedBy().isEmpty() && run.cancellation() == LatestRun.Cancellation.NONE) {
            chain(email, run).signal(SendEmailWorkflow.RESEND_CONFIRMATION_SIGNAL);
        }
    }

    /** Addressed to the run's chain: never a later subscription that a late call could otherwise confirm. */
    private WorkflowStub chain(EmailAddress email, LatestRun run) {
        return client.newUntypedWorkflowStub(WorkflowTargetOptions.newBuilder()
                .setWorkflowId(ids.workflowId(email))
                .setFirstExecutionRunId(run.firstRunId())
                .build());
    }

    private Outcome awaitConfirmationSeen(EmailAddress email, String by) {
        long deadline = System.nanoTime() + wait.toNanos();
        for (long recheckNanos = FIRST_RECHECK_NANOS; ; recheckNanos = Math.min(2 * recheckNanos, LAST_RECHECK_NANOS)) {
            WorkflowExecutionDescription description =
                    client.newUntypedWorkflowStub(ids.workflowId(email)).describe();
            String confirmedBy = (String) description.getMemo(SendEmailWorkflow.CONFIRMED_BY_MEMO, String.class);
            if (confirmedBy != null) {
                return confirmedBy.equals(by) ? Outcome.CONFIRMED : Outcome.NOT_PENDING;
            }
            if (description.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
                return Outcome.NOT_SUBSCRIBED; // expired or cancelled meanwhile
            }
            if (System.nanoTime() - deadline > 0) {
                throw notSeen(email);
            }
            LockSupport.parkNanos(recheckNanos);
        }
    }

    private TemporalSubscriptions.SubscriptionClosingException notSeen(EmailAddress email) {
        return new TemporalSubscriptions.SubscriptionClosingException("the subscription " + ids.workflowId(email)
                + " has not answered its confirmation in time (is a worker running?)");
    }
}
