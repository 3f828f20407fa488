package com.example.subscriptions.command;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.workflow.SendEmailWorkflow;
import com.example.subscriptions.workflow.SubscriptionInput;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * {@link Subscriptions} as workflows whose id is the email. Temporal calls block, so they run on the given executor;
 * waiting for a run to close holds no thread.
 */
public final class TemporalSubscriptions implements Subscriptions {

    /** How long a subscribe waits for a cancelled subscription to finish its goodbye before trying again later. */
    private static final Duration CLOSING_WAIT = Duration.ofSeconds(10);
    private static final long FIRST_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long LAST_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final WorkflowClient client;
    private final String workflowType;
    private final String taskQueue;
    private final Duration interval;
    private final int emailsPerRun;
    private final Executor executor;

    public TemporalSubscriptions(WorkflowClient client, String workflowType, String taskQueue, Duration interval,
            int emailsPerRun, Executor executor) {
        this.client = client;
        this.workflowType = workflowType;
        this.taskQueue = taskQueue;
        this.interval = interval;
        this.emailsPerRun = emailsPerRun;
        this.executor = executor;
    }

    @Override
    public CompletionStage<Outcome> subscribe(EmailAddress email, CommandPosition at, boolean retry) {
        return CompletableFuture.supplyAsync(() -> startSubscription(email, at, retry), executor)
                .thenCompose(Function.identity());
    }

    @Override
    public CompletionStage<Outcome> unsubscribe(EmailAddress email, CommandPosition at, boolean retry) {
        return CompletableFuture.supplyAsync(() -> cancelSubscription(email, at, retry), executor);
    }

    private CompletionStage<Outcome> startSubscription(EmailAddress email, CommandPosition at, boolean retry) {
        try {
            // Rejecting any earlier run under this id makes a new email's subscribe one call.
            start(email, at, WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE);
            return CompletableFuture.completedFuture(Outcome.SUBSCRIBED);
        } catch (WorkflowExecutionAlreadyStarted exists) {
            Optional<LatestRun> latest = latestRun(email);
            LatestRun.Step step = latest.isPresent() ? latest.get().subscribe(at, retry) : new LatestRun.Start();
            if (step instanceof LatestRun.Answer answer) {
                return CompletableFuture.completedFuture(answer.outcome());
            }
            CompletableFuture<Void> closed = latest.filter(LatestRun::open)
                    .map(run -> whenClosed(email, run.runId()))
                    .orElseGet(() -> CompletableFuture.completedFuture(null));
            return closed.thenApplyAsync(none -> {
                start(email, at, WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE);
                return Outcome.SUBSCRIBED;
            }, executor);
        }
    }

    private void start(EmailAddress email, CommandPosition at, WorkflowIdReusePolicy reusePolicy) {
        WorkflowOptions options = WorkflowOptions.newBuilder()
                .setWorkflowId(email.value())
                .setTaskQueue(taskQueue)
                .setWorkflowIdReusePolicy(reusePolicy)
                .setMemo(Map.of(SendEmailWorkflow.STARTED_BY_MEMO, at.toString()))
                .build();
        client.newUntypedWorkflowStub(workflowType, options)
                .start(new SubscriptionInput(email.value(), interval.toString(), null, emailsPerRun));
    }

    private Optional<LatestRun> latestRun(EmailAddress email) {
        try {
            WorkflowExecutionDescription description = client.newUntypedWorkflowStub(email.value()).describe();
            String runId = description.getExecution().getRunId();
            Optional<String> cancelReason = cancelReason(email, runId);
            String startedBy = (String) description.getMemo(SendEmailWorkflow.STARTED_BY_MEMO, String.class);
            return Optional.of(new LatestRun(runId,
                    description.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
                    CommandPosition.parse(startedBy), cancelReason.flatMap(CommandPosition::fromCancelReason),
                    cancelReason.isPresent()));
        } catch (WorkflowNotFoundException none) {
            return Optional.empty();
        }
    }

    /** The run's cancellation request's reason ("" if it gave none), once it is in the run's history. */
    private Optional<String> cancelReason(EmailAddress email, String runId) {
        return client.streamHistory(email.value(), runId)
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED)
                .map(event -> event.getWorkflowExecutionCancelRequestedEventAttributes().getCause())
                .findFirst();
    }

    private CompletableFuture<Void> whenClosed(EmailAddress email, String runId) {
        return client.newUntypedWorkflowStub(email.value(), Optional.of(runId), Optional.empty())
                .getResultAsync(CLOSING_WAIT.toMillis(), TimeUnit.MILLISECONDS, Void.class)
                .handle((result, failure) -> {
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    if (cause == null || cause instanceof WorkflowFailedException) {
                        return null; // closed (cancelled, as expected)
                    }
                    if (cause instanceof TimeoutException) {
                        throw new SubscriptionClosingException("the cancelled subscription of " + email.value()
                                + " has not finished its goodbye within " + CLOSING_WAIT.toSeconds() + " s");
                    }
                    throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
                });
    }

    private Outcome cancelSubscription(EmailAddress email, CommandPosition at, boolean retry) {
        Optional<LatestRun> latest = latestRun(email);
        LatestRun.Step step = latest.isPresent()
                ? latest.get().unsubscribe(at, retry)
                : new LatestRun.Answer(Outcome.NOT_SUBSCRIBED);
        if (step instanceof LatestRun.Answer answer) {
            return answer.outcome();
        }
        String runId = latest.get().runId();
        WorkflowStub run = client.newUntypedWorkflowStub(email.value(), Optional.of(runId), Optional.empty());
        run.cancel(at.cancelReason());
        String recorded = awaitCancelRecorded(email, runId);
        // Another client's cancel that got in first is the one that counts.
        return recorded.equals(at.cancelReason()) ? Outcome.UNSUBSCRIBE_REQUESTED : Outcome.NOT_SUBSCRIBED;
    }

    /**
     * A cancel that lands while the worker holds a workflow task stays out of the history until that task completes.
     * Waiting for it here lets the next subscribe for this email see the run is ending.
     */
    private String awaitCancelRecorded(EmailAddress email, String runId) {
        long deadline = System.nanoTime() + CLOSING_WAIT.toNanos();
        // Each check reads the run's history, which a long subscription makes long: check often only at first.
        long recheckNanos = FIRST_RECHECK_NANOS;
        while (true) {
            Optional<String> reason = cancelReason(email, runId);
            if (reason.isPresent()) {
                return reason.get();
            }
            if (System.nanoTime() > deadline) {
                throw new SubscriptionClosingException("the cancellation of " + email.value()
                        + " is not in its history after " + CLOSING_WAIT.toSeconds() + " s");
            }
            LockSupport.parkNanos(recheckNanos);
            recheckNanos = Math.min(2 * recheckNanos, LAST_RECHECK_NANOS);
        }
    }

    /** A subscribe that must wait for the previous subscription to close; retried later. */
    static final class SubscriptionClosingException extends RuntimeException {
        SubscriptionClosingException(String message) {
            super(message, null, false, false);
        }
    }
}
