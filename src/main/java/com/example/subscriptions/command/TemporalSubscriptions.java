package com.example.subscriptions.command;

import com.example.subscriptions.core.EmailAddress;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/** {@link Subscriptions} as workflows whose id is the email. Calls block, so they run on the given executor. */
public final class TemporalSubscriptions implements Subscriptions {

    /** How long a subscribe waits for a cancelled subscription to finish its goodbye before trying again later. */
    private static final Duration CLOSING_WAIT = Duration.ofSeconds(10);
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

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
    public CompletionStage<Outcome> subscribe(EmailAddress email, String requestKey) {
        // No request id from requestKey: on a replay of the log, a subscribe would find the run its first
        // delivery started, now cancelled by the replayed unsubscribe, and Temporal would answer "started" with it.
        return CompletableFuture.supplyAsync(() -> startSubscription(email), executor);
    }

    @Override
    public CompletionStage<Outcome> unsubscribe(EmailAddress email, String requestKey) {
        return CompletableFuture.supplyAsync(() -> cancelSubscription(email, "unsubscribe " + requestKey), executor);
    }

    private Outcome startSubscription(EmailAddress email) {
        try {
            start(email);
            return Outcome.SUBSCRIBED;
        } catch (WorkflowExecutionAlreadyStarted running) {
            String runId = running.getExecution().getRunId();
            if (cancelRequest(email, runId).isEmpty()) {
                return Outcome.ALREADY_SUBSCRIBED;
            }
            // An unsubscribe came first and its run is still saying goodbye: the subscriber wants a new
            // subscription after it, not to be told they already have the one that is ending.
            awaitClosed(email, runId);
            start(email);
            return Outcome.SUBSCRIBED;
        }
    }

    private void start(EmailAddress email) {
        WorkflowOptions options = WorkflowOptions.newBuilder()
                .setWorkflowId(email.value())
                .setTaskQueue(taskQueue)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .build();
        client.newUntypedWorkflowStub(workflowType, options)
                .start(new SubscriptionInput(email.value(), interval.toString(), null, emailsPerRun));
    }

    /** The run's cancellation request, with its reason, once it is in the run's history. */
    private Optional<String> cancelRequest(EmailAddress email, String runId) {
        return client.streamHistory(email.value(), runId)
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED)
                .map(event -> event.getWorkflowExecutionCancelRequestedEventAttributes().getCause())
                .findFirst();
    }

    private void awaitClosed(EmailAddress email, String runId) {
        try {
            client.newUntypedWorkflowStub(email.value(), Optional.of(runId), Optional.empty())
                    .getResult(CLOSING_WAIT.toMillis(), TimeUnit.MILLISECONDS, Void.class);
        } catch (WorkflowFailedException closed) {
            // Cancelled, as expected: it has closed.
        } catch (TimeoutException e) {
            throw new SubscriptionClosingException("the cancelled subscription of " + email.value()
                    + " has not finished its goodbye within " + CLOSING_WAIT.toSeconds() + " s");
        }
    }

    private Outcome cancelSubscription(EmailAddress email, String reason) {
        WorkflowStub current = client.newUntypedWorkflowStub(email.value());
        try {
            // Servers differ on cancelling a closed run (Temporal refuses, the SDK's test server accepts): ask first.
            WorkflowExecutionDescription description = current.describe();
            String runId = description.getExecution().getRunId();
            if (description.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
                // Closed by this very request on an earlier try whose answer was lost: it was accepted.
                return cancelRequest(email, runId).filter(reason::equals).isPresent()
                        ? Outcome.UNSUBSCRIBE_REQUESTED : Outcome.NOT_SUBSCRIBED;
            }
            current.cancel(reason);
            awaitCancelRecorded(email, runId);
            return Outcome.UNSUBSCRIBE_REQUESTED;
        } catch (WorkflowNotFoundException notRunning) {
            return Outcome.NOT_SUBSCRIBED;
        }
    }

    /**
     * A cancel that lands while the worker holds a workflow task stays out of the history until that task completes.
     * Waiting for it here lets the next subscribe for this email see the run is ending.
     */
    private void awaitCancelRecorded(EmailAddress email, String runId) {
        long deadline = System.nanoTime() + CLOSING_WAIT.toNanos();
        while (cancelRequest(email, runId).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new SubscriptionClosingException("the cancellation of " + email.value()
                        + " is not in its history after " + CLOSING_WAIT.toSeconds() + " s");
            }
            LockSupport.parkNanos(RECHECK_NANOS);
        }
    }

    /** A subscribe that must wait for the previous subscription to close; retried later. */
    static final class SubscriptionClosingException extends RuntimeException {
        SubscriptionClosingException(String message) {
            super(message, null, false, false);
        }
    }
}
