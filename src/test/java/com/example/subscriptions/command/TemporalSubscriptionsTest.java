package com.example.subscriptions.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.suppression.SuppressionReason;
import com.example.subscriptions.workflow.EmailActivitiesImpl;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.SendEmailWorkflow;
import com.example.subscriptions.workflow.SendEmailWorkflowImpl;
import com.example.subscriptions.workflow.SubscriptionInput;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway against Temporal's in-memory service: what redelivered and replayed commands do to the runs. */
class TemporalSubscriptionsTest {

    private static final String TASK_QUEUE = "subscriptions-test";
    /** Served by a workflow that writes no memo, as runs of earlier versions and the tutorial's worker do. */
    private static final String LEGACY_TASK_QUEUE = "subscriptions-test-legacy";

    private static final EmailAddress ALICE = new EmailAddress("alice@example.com");

    private final List<EmailDetails> sent = new CopyOnWriteArrayList<>();
    private TestWorkflowEnvironment env;
    private WorkflowClient client;
    private TemporalSubscriptions subscriptions;

    @BeforeEach
    void startTemporal() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(SendEmailWorkflowImpl.class);
        worker.registerActivitiesImplementations(new EmailActivitiesImpl((details, delivery) -> sent.add(details)));
        env.newWorker(LEGACY_TASK_QUEUE).registerWorkflowImplementationTypes(MemolessSubscription.class);
        env.start();
        client = env.getWorkflowClient();
        subscriptions = new TemporalSubscriptions(
                client, SendEmailWorkflow.TYPE, TASK_QUEUE, Duration.ofHours(1), 2, Runnable::run);
    }

    @AfterEach
    void stopTemporal() {
        env.close();
    }

    private static CommandPosition at(long offset) {
        return new CommandPosition("subscription-commands", "id-1", 3, offset);
    }

    private Outcome subscribe(long offset, boolean retry) throws Exception {
        return subscriptions
                .subscribe(ALICE, at(offset), retry)
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    private Outcome unsubscribe(long offset, boolean retry) throws Exception {
        return subscriptions
                .unsubscribe(ALICE, at(offset), retry)
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    private Subscriptions.Ending end(long offset, boolean retry) throws Exception {
        return subscriptions
                .end(ALICE, at(offset), SuppressionReason.BOUNCE, retry)
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    private WorkflowExecutionDescription latest() {
        return client.newUntypedWorkflowStub(ALICE.value()).describe();
    }

    private String latestRunId() {
        return latest().getExecution().getRunId();
    }

    private long goodbyes() {
        return sent.stream().filter(d -> !d.subscribed()).count();
    }

    @Test
    void aSubscribeRecordsItsPositionOnTheRun() throws Exception {
        assertEquals(Outcome.SUBSCRIBED, subscribe(10, false));

        assertEquals(
                "subscription-commands-3-10@id-1", latest().getMemo(SendEmailWorkflow.STARTED_BY_MEMO, String.class));
    }

    @Test
    void aRedeliveredSubscribeIsADuplicateButARetryGetsTheAnswerItsFirstTryHad() throws Exception {
        assertEquals(Outcome.SUBSCRIBED, subscribe(10, false));
        String run = latestRunId();

        assertEquals(Outcome.ALREADY_SUBSCRIBED, subscribe(10, false));
        assertEquals(Outcome.SUBSCRIBED, subscribe(10, true));
        assertEquals(run, latestRunId());
    }

    @Test
    void replayingSubscribeUnsubscribeSubscribeChangesNothing() throws Exception {
        assertEquals(Outcome.SUBSCRIBED, subscribe(10, false));
        assertEquals(Outcome.UNSUBSCRIBE_REQUESTED, unsubscribe(20, false));
        assertEquals(Outcome.SUBSCRIBED, subscribe(30, false));
        String run = latestRunId();

        assertEquals(Outcome.ALREADY_SUBSCRIBED, subscribe(10, false));
        assertEquals(Outcome.NOT_SUBSCRIBED, unsubscribe(20, false));
        assertEquals(Outcome.ALREADY_SUBSCRIBED, subscribe(30, false));

        assertEquals(run, latestRunId());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, latest().getStatus());
        assertEquals(1, goodbyes());
    }

    @Test
    void aBounceEndsTheRunningSubscriptionWithoutAGoodbyeOnceAndARetryGetsTheFirstAnswer() throws Exception {
        assertEquals(Outcome.SUBSCRIBED, subscribe(10, false));

        assertEquals(Subscriptions.Ending.ENDED, end(20, false));
        client.newUntypedWorkflowStub(ALICE.value())
                .getResultAsync(Void.class)
                .exceptionally(e -> null)
                .get();

        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED, latest().getStatus());
        assertEquals(
                "bounce subscription-commands-3-20@id-1",
                latest().getMemo(SendEmailWorkflow.CANCELLED_BY_MEMO, String.class));
        assertEquals(0, goodbyes());
        assertEquals(Subscriptions.Ending.NONE_RUNNING, end(20, false), "a redelivery ends nothing");
        assertEquals(Subscriptions.Ending.ENDED, end(20, true), "a retry reports what its first try did");
        assertEquals(Subscriptions.Ending.NONE_RUNNING, end(30, false), "a later bounce finds nothing running");
        assertEquals(Outcome.ALREADY_SUBSCRIBED, subscribe(10, false), "the run's own subscribe, replayed");
    }

    @Test
    void aReplayedBounceLeavesTheSubscriptionThatCameAfterIt() throws Exception {
        assertEquals(Outcome.SUBSCRIBED, subscribe(30, false));

        assertEquals(Subscriptions.Ending.NONE_RUNNING, end(20, false));

        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, latest().getStatus());
    }

    @Test
    void replayingSubscribeUnsubscribeLeavesTheSubscriptionCancelled() throws Exception {
        assertEquals(Outcome.SUBSCRIBED, subscribe(10, false));
        assertEquals(Outcome.UNSUBSCRIBE_REQUESTED, unsubscribe(20, false));
        client.newUntypedWorkflowStub(ALICE.value())
                .getResultAsync(Void.class)
                .exceptionally(e -> null)
                .get();
        String run = latestRunId();

        assertEquals(Outcome.ALREADY_SUBSCRIBED, subscribe(10, false));
        assertEquals(Outcome.NOT_SUBSCRIBED, unsubscribe(20, false));
        assertEquals(Outcome.UNSUBSCRIBE_REQUESTED, unsubscribe(20, true));

        assertEquals(run, latestRunId());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED, latest().getStatus());
        assertEquals(1, goodbyes());
    }

    @Test
    void aLaterSubscribeAfterAnUnsubscribeStartsANewRunOnceTheGoodbyeIsSent() throws Exception {
        assertEquals(Outcome.SUBSCRIBED, subscribe(10, false));
        String first = latestRunId();
        assertEquals(Outcome.UNSUBSCRIBE_REQUESTED, unsubscribe(20, false));

        assertEquals(Outcome.SUBSCRIBED, subscribe(30, false));

        assertNotEquals(first, latestRunId());
        assertEquals(1, goodbyes());
        assertEquals(Outcome.UNSUBSCRIBE_REQUESTED, unsubscribe(40, false));
        assertEquals(Outcome.NOT_SUBSCRIBED, unsubscribe(50, false));
    }

    @Test
    void commandsOfTheTopicCreatedAgainAreNewThoughTheirOffsetsAreLower() throws Exception {
        assertEquals(Outcome.SUBSCRIBED, subscribe(10, false));
        assertEquals(Outcome.UNSUBSCRIBE_REQUESTED, unsubscribe(20, false));

        CommandPosition first = new CommandPosition("subscription-commands", "id-2", 3, 0);
        CommandPosition second = new CommandPosition("subscription-commands", "id-2", 3, 1);
        assertEquals(
                Outcome.SUBSCRIBED,
                subscriptions
                        .subscribe(ALICE, first, false)
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS));
        assertEquals(
                Outcome.UNSUBSCRIBE_REQUESTED,
                subscriptions
                        .unsubscribe(ALICE, second, false)
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS));
        client.newUntypedWorkflowStub(ALICE.value())
                .getResultAsync(Void.class)
                .exceptionally(e -> null)
                .get();
        assertEquals(2, goodbyes());
    }

    @Test
    void positionsSurviveContinueAsNew() throws Exception {
        assertEquals(Outcome.SUBSCRIBED, subscribe(10, false));
        String first = latestRunId();

        env.sleep(Duration.ofHours(5)); // two emails per run: at least two runs later

        assertNotEquals(first, latestRunId());
        assertEquals(
                "subscription-commands-3-10@id-1", latest().getMemo(SendEmailWorkflow.STARTED_BY_MEMO, String.class));
        assertEquals(Outcome.ALREADY_SUBSCRIBED, subscribe(10, false));
        assertEquals(Outcome.NOT_SUBSCRIBED, unsubscribe(5, false));
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, latest().getStatus());
    }

    @Test
    void commandsFromAnotherPartitionOrRunsStartedByOthersAreTreatedAsNew() throws Exception {
        WorkflowClient.start(
                client.newWorkflowStub(
                        SendEmailWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setWorkflowId(ALICE.value())
                                .setTaskQueue(TASK_QUEUE)
                                .build())::run,
                SubscriptionInput.of(ALICE.value(), Duration.ofHours(1)));
        assertNull(latest().getMemo(SendEmailWorkflow.STARTED_BY_MEMO, String.class));

        assertEquals(Outcome.ALREADY_SUBSCRIBED, subscribe(10, false));
        assertEquals(Outcome.UNSUBSCRIBE_REQUESTED, unsubscribe(5, false));
        assertEquals(
                Outcome.SUBSCRIBED,
                subscriptions
                        .subscribe(ALICE, new CommandPosition("subscription-commands", "id-1", 4, 1), false)
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS));
    }

    @Test
    void aCancelAddressedToTheChainReachesTheRunItContinuedAsAndNeverALaterSubscription() throws Exception {
        assertEquals(Outcome.SUBSCRIBED, subscribe(10, false));
        WorkflowExecutionDescription before = latest();
        env.sleep(Duration.ofHours(5)); // two emails per run: the run described has continued as new since
        assertNotEquals(before.getExecution().getRunId(), latestRunId());

        client.newUntypedWorkflowStub(io.temporal.client.WorkflowTargetOptions.newBuilder()
                        .setWorkflowId(ALICE.value())
                        .setFirstExecutionRunId(before.getFirstRunId())
                        .build())
                .cancel(at(20).cancelReason());
        client.newUntypedWorkflowStub(ALICE.value())
                .getResultAsync(Void.class)
                .exceptionally(e -> null)
                .get();
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED, latest().getStatus());
        assertEquals(at(20).cancelReason(), latest().getMemo(SendEmailWorkflow.CANCELLED_BY_MEMO, String.class));

        assertEquals(Outcome.SUBSCRIBED, subscribe(30, false));
        String later = latestRunId();
        // The same cancel again, as a late call would land: the chain it names has ended, the new one is untouched.
        client.newUntypedWorkflowStub(io.temporal.client.WorkflowTargetOptions.newBuilder()
                        .setWorkflowId(ALICE.value())
                        .setFirstExecutionRunId(before.getFirstRunId())
                        .build())
                .cancel(at(20).cancelReason());
        assertEquals(later, latestRunId());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, latest().getStatus());
    }

    @Test
    void aRunCancelledBeforeRunsWroteWhoCancelledThemIsReadFromItsHistoryOnce() throws Exception {
        TemporalSubscriptions onLegacy = new TemporalSubscriptions(
                client, SendEmailWorkflow.TYPE, LEGACY_TASK_QUEUE, Duration.ofHours(1), 2, Runnable::run);
        assertEquals(
                Outcome.SUBSCRIBED,
                onLegacy.subscribe(ALICE, at(10), false).toCompletableFuture().get());
        assertEquals(
                Outcome.UNSUBSCRIBE_REQUESTED,
                onLegacy.unsubscribe(ALICE, at(20), false).toCompletableFuture().get());
        client.newUntypedWorkflowStub(ALICE.value())
                .getResultAsync(Void.class)
                .exceptionally(e -> null)
                .get();
        assertNull(latest().getMemo(SendEmailWorkflow.CANCELLED_BY_MEMO, String.class));
        String run = latestRunId();

        assertEquals(Outcome.ALREADY_SUBSCRIBED, subscribe(15, false), "a replay between the start and the cancel");
        assertEquals(Outcome.NOT_SUBSCRIBED, unsubscribe(20, false));
        assertEquals(Outcome.UNSUBSCRIBE_REQUESTED, unsubscribe(20, true));
        assertEquals(run, latestRunId());
        assertEquals(Outcome.SUBSCRIBED, subscribe(30, false));
    }

    @Test
    void anUnsubscribeThatNoWorkerTakesInFailsForALaterRetryAndCancelsOnlyOnce() throws Exception {
        TemporalSubscriptions withoutWorker = new TemporalSubscriptions(
                client,
                SendEmailWorkflow.TYPE,
                "no-worker-polls-this",
                Duration.ofHours(1),
                2,
                Runnable::run,
                Duration.ofMillis(500));
        assertEquals(
                Outcome.SUBSCRIBED,
                withoutWorker
                        .subscribe(ALICE, at(10), false)
                        .toCompletableFuture()
                        .get());

        java.util.concurrent.ExecutionException waited = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class,
                () -> withoutWorker
                        .unsubscribe(ALICE, at(20), false)
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS));

        org.junit.jupiter.api.Assertions.assertInstanceOf(
                TemporalSubscriptions.SubscriptionClosingException.class, waited.getCause());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, latest().getStatus());
    }

    /** A subscription as runs of earlier versions (or the tutorial's worker) end: cancelled, with no memo. */
    public static class MemolessSubscription implements SendEmailWorkflow {
        private EmailDetails details = new EmailDetails("", "", 0, false);

        @Override
        public void run(SubscriptionInput input) {
            details = new EmailDetails(input.email(), EmailDetails.WELCOME, 1, true);
            try {
                io.temporal.workflow.Workflow.await(() -> false);
            } catch (io.temporal.failure.CanceledFailure e) {
                details = new EmailDetails(input.email(), EmailDetails.GOODBYE, 1, false);
                throw e;
            }
        }

        @Override
        public EmailDetails details() {
            return details;
        }

        @Override
        public void confirm(String confirmedBy) {}

        @Override
        public void resendConfirmation() {}
    }
}
