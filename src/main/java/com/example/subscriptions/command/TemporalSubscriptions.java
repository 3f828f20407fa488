package com.example.subscriptions.command;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.core.Futures;
import com.example.subscriptions.core.SubscriberIds;
import com.example.subscriptions.suppression.SuppressionReason;
import com.example.subscriptions.workflow.DetailsQuery;
import com.example.subscriptions.workflow.SendEmailWorkflow;
import com.example.subscriptions.workflow.SubscriptionInput;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowTargetOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * {@link Subscriptions} as workflows whose id is the subscriber's ({@link SubscriberIds}: the email, or its keyed hash). Every command costs a bounded number of calls, whatever
 * the age of the subscription: what a command needs to know of the email's latest run (who started it, whether and by
 * whom it was cancelled) is in the run's memo, read by one describe ({@link LatestRuns}); nothing reads a run's history, except once for a
 * run cancelled before runs recorded their cancellation in their memo.
 *
 * <p>Temporal calls block, so they run on the given executor; waiting for a run to close holds no thread.
 */
public final class TemporalSubscriptions implements Subscriptions {

    /**
     * How long a subscribe waits for a cancelled subscription to finish its goodbye, and an unsubscribe for the
     * workflow to see its cancellation, before trying again later.
     */
    static final Duration CLOSING_WAIT = Duration.ofSeconds(10);

    private final WorkflowClient client;
    private final String workflowType;
    private final String taskQueue;
    private final Duration interval;
    private final int emailsPerRun;
    private final Executor executor;
    private final Duration closingWait;
    private final Cancellations cancellations;
    private final LatestRuns latestRuns;
    private final SubscriberIds ids;
    private final TemporalErasure erasure;
    private final Confirmations confirmations;
    /** Double opt-in: how long a new subscription waits for its confirmation, and its resend period. */
    private final Optional<ConfirmTimes> doubleOptIn;

    public TemporalSubscriptions(
            WorkflowClient client,
            SubscriberIds ids,
            String workflowType,
            String taskQueue,
            Duration interval,
            int emailsPerRun,
            Executor executor) {
        this(client, ids, workflowType, taskQueue, interval, emailsPerRun, executor, CLOSING_WAIT);
    }

    /** With the tutorial's workflow ids (the email). */
    public TemporalSubscriptions(
            WorkflowClient client,
            String workflowType,
            String taskQueue,
            Duration interval,
            int emailsPerRun,
            Executor executor) {
        this(client, SubscriberIds.plain(), workflowType, taskQueue, interval, emailsPerRun, executor, CLOSING_WAIT);
    }

    TemporalSubscriptions(
            WorkflowClient client,
            String workflowType,
            String taskQueue,
            Duration interval,
            int emailsPerRun,
            Executor executor,
            Duration closingWait) {
        this(client, SubscriberIds.plain(), workflowType, taskQueue, interval, emailsPerRun, executor, closingWait);
    }

    TemporalSubscriptions(
            WorkflowClient client,
            SubscriberIds ids,
            String workflowType,
            String taskQueue,
            Duration interval,
            int emailsPerRun,
            Executor executor,
            Duration closingWait) {
        this(client, ids, workflowType, taskQueue, interval, emailsPerRun, executor, closingWait, Optional.empty());
    }

    private TemporalSubscriptions(
            WorkflowClient client,
            SubscriberIds ids,
            String workflowType,
            String taskQueue,
            Duration interval,
            int emailsPerRun,
            Executor executor,
            Duration closingWait,
            Optional<ConfirmTimes> doubleOptIn) {
        this.doubleOptIn = doubleOptIn;
        this.closingWait = closingWait;
        this.client = client;
        this.ids = ids;
        this.latestRuns = new LatestRuns(client, ids);
        this.cancellations = new Cancellations(client, ids, latestRuns, new DetailsQuery(client), closingWait);
        this.erasure = new TemporalErasure(client);
        this.confirmations = new Confirmations(client, ids, latestRuns, closingWait);
        this.workflowType = workflowType;
        this.taskQueue = taskQueue;
        this.interval = interval;
        this.emailsPerRun = emailsPerRun;
        this.executor = executor;
    }

    /**
     * The same, starting subscriptions that wait for their subscriber's confirmation: for {@code confirmWithin}, with
     * a second subscribe re-sending the confirmation at most once per {@code resendAfter}.
     */
    public TemporalSubscriptions withDoubleOptIn(Duration confirmWithin, Duration resendAfter) {
        return new TemporalSubscriptions(
                client,
                ids,
                workflowType,
                taskQueue,
                interval,
                emailsPerRun,
                executor,
                closingWait,
                Optional.of(new ConfirmTimes(confirmWithin, resendAfter)));
    }

    @Override
    public CompletionStage<Outcome> confirm(EmailAddress email, CommandPosition at) {
        return CompletableFuture.supplyAsync(() -> confirmations.confirm(email, at), executor);
    }

    @Override
    public CompletionStage<Outcome> subscribe(EmailAddress email, CommandPosition at, boolean retry) {
        return CompletableFuture.supplyAsync(() -> startSubscription(email, at, retry), executor)
                .thenCompose(Function.identity());
    }

    @Override
    public CompletionStage<Outcome> unsubscribe(EmailAddress email, CommandPosition at, boolean retry) {
        return CompletableFuture.supplyAsync(
                () -> cancellations.cancel(email, at, at.cancelReason(Command.Unsubscribe.TYPE), retry), executor);
    }

    @Override
    public CompletionStage<Ending> end(EmailAddress email, CommandPosition at, SuppressionReason why, boolean retry) {
        // The reason's first word tells the workflow to skip the goodbye.
        String reason = at.cancelReason(
                why == SuppressionReason.BOUNCE ? SendEmailWorkflow.BOUNCE_CANCEL : SendEmailWorkflow.COMPLAINT_CANCEL);
        return CompletableFuture.supplyAsync(
                () -> cancellations.cancel(email, at, reason, retry) == Outcome.UNSUBSCRIBE_REQUESTED
                        ? Ending.ENDED
                        : Ending.NONE_RUNNING,
                executor);
    }

    @Override
    public CompletionStage<Outcome> erase(EmailAddress email, CommandPosition at, boolean retry) {
        return CompletableFuture.supplyAsync(
                () -> {
                    Outcome outcome = erasure.erase(ids.workflowId(email), at.cancelReason(Command.Erase.TYPE));
                    // A retry finding nothing left: the earlier try erased, and its answer was lost.
                    return retry && outcome == Outcome.NOT_FOUND ? Outcome.ERASED : outcome;
                },
                executor);
    }

    private CompletionStage<Outcome> startSubscription(EmailAddress email, CommandPosition at, boolean retry) {
        try {
            // Rejecting any earlier run under this id makes a new email's subscribe one call.
            start(email, at, WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE, Optional.empty());
            return CompletableFuture.completedFuture(Outcome.SUBSCRIBED);
        } catch (WorkflowExecutionAlreadyStarted exists) {
            Optional<LatestRun> latest = latestRuns.of(email);
            LatestRun.Step step = latest.isPresent() ? latest.get().subscribe(at, retry) : new LatestRun.Start();
            if (step instanceof LatestRun.Answer answer) {
                if (answer.outcome() == Outcome.ALREADY_SUBSCRIBED && doubleOptIn.isPresent() && !retry) {
                    confirmations.resendIfPending(email, latest.get());
                }
                return CompletableFuture.completedFuture(answer.outcome());
            }
            CompletableFuture<Void> closed = latest.filter(LatestRun::open)
                    .map(run -> whenClosed(email, run.runId()))
                    .orElseGet(() -> CompletableFuture.completedFuture(null));
            // The request id makes this start idempotent while its run is the latest: should this call land late
            // (its attempt given up at a rebalance while the next owner applied it and what came after), Temporal
            // answers it with that run instead of starting another after a later unsubscribe.
            String requestId = UUID.nameUUIDFromBytes(("subscribe " + at).getBytes(StandardCharsets.UTF_8))
                    .toString();
            return closed.thenApplyAsync(
                    none -> {
                        start(
                                email,
                                at,
                                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
                                Optional.of(requestId));
                        return Outcome.SUBSCRIBED;
                    },
                    executor);
        }
    }

    private void start(
            EmailAddress email, CommandPosition at, WorkflowIdReusePolicy reusePolicy, Optional<String> requestId) {
        WorkflowOptions.Builder options = WorkflowOptions.newBuilder()
                .setWorkflowId(ids.workflowId(email))
                .setTaskQueue(taskQueue)
                .setWorkflowIdReusePolicy(reusePolicy)
                .setMemo(Map.of(SendEmailWorkflow.STARTED_BY_MEMO, at.toString()));
        requestId.ifPresent(options::setRequestId);
        SubscriptionInput input = new SubscriptionInput(email.value(), interval.toString(), null, emailsPerRun);
        client.newUntypedWorkflowStub(workflowType, options.build())
                // The input keeps the address, which the worker sends to; in privacy mode the codec encrypts it.
                .start(doubleOptIn
                        .map(times -> input.awaitingConfirmation(times.within(), times.resendAfter()))
                        .orElse(input));
    }

    private CompletableFuture<Void> whenClosed(EmailAddress email, String runId) {
        return client.newUntypedWorkflowStub(WorkflowTargetOptions.newBuilder()
                        .setWorkflowId(ids.workflowId(email))
                        .setRunId(runId)
                        .build())
                .getResultAsync(closingWait.toMillis(), TimeUnit.MILLISECONDS, Void.class)
                .handle((result, failure) -> {
                    Throwable cause = Futures.cause(failure);
                    if (cause == null || cause instanceof WorkflowFailedException) {
                        return null; // closed (cancelled, as expected)
                    }
                    if (cause instanceof TimeoutException) {
                        throw new SubscriptionClosingException("the cancelled subscription " + ids.workflowId(email)
                                + " has not finished its goodbye within " + closingWait.toMillis() + " ms");
                    }
                    throw Futures.passOn(cause);
                });
    }

    private record ConfirmTimes(Duration within, Duration resendAfter) {}

    /** A command that must wait for a subscription to take in its cancellation or to close; retried later. */
    static final class SubscriptionClosingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SubscriptionClosingException(String message) {
            super(message, null, false, false);
        }
    }
}
