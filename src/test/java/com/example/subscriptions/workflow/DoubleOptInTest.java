package com.example.subscriptions.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Double opt-in: a run started with {@code confirmWithin} sends nothing but its confirmation until confirmed. */
class DoubleOptInTest {

    private static final String EMAIL = "pending@example.com";
    private static final EmailDetails CONFIRMATION =
            new EmailDetails(EMAIL, EmailDetails.AWAITING_CONFIRMATION, 0, false);
    private static final SubscriptionInput PENDING = SubscriptionInput.of(EMAIL, Duration.ofDays(7))
            .awaitingConfirmation(Duration.ofDays(2), Duration.ofHours(1));

    private final RecordingEmailSender sender = new RecordingEmailSender();
    private TestWorkflowEnvironment env;
    private WorkflowClient client;

    @BeforeEach
    void startEnvironment() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(SendEmailWorkflow.DEFAULT_TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(SendEmailWorkflowImpl.class);
        worker.registerActivitiesImplementations(new EmailActivitiesImpl(sender));
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void stopEnvironment() {
        env.close();
    }

    private SendEmailWorkflow start(SubscriptionInput input) {
        SendEmailWorkflow workflow = client.newWorkflowStub(
                SendEmailWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(input.email())
                        .setTaskQueue(SendEmailWorkflow.DEFAULT_TASK_QUEUE)
                        .build());
        WorkflowClient.start(workflow::run, input);
        return workflow;
    }

    private WorkflowStub stub() {
        return client.newUntypedWorkflowStub(EMAIL);
    }

    @Test
    void aPendingSubscriptionSendsTheConfirmationAndNothingElse() {
        SendEmailWorkflow workflow = start(PENDING);
        await(() -> sender.sent().size() >= 1);

        env.sleep(Duration.ofDays(1));

        assertEquals(List.of(CONFIRMATION), sender.sent());
        assertTrue(workflow.details().pending(), "details tell pending: " + workflow.details());
        assertEquals(
                WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
                stub().describe().getStatus());
    }

    @Test
    void aConfirmedSubscriptionGetsItsWelcomeAtOnceThenOneEmailPerInterval() {
        SendEmailWorkflow workflow = start(PENDING);
        await(() -> sender.sent().size() >= 1);
        env.sleep(Duration.ofHours(5));

        workflow.confirm("confirm subscription-commands-0-7@abc");
        await(() -> sender.sent().size() >= 2);
        assertEquals(
                new EmailDetails(EMAIL, EmailDetails.WELCOME, 1, true),
                sender.sent().get(1));
        assertEquals(
                "confirm subscription-commands-0-7@abc",
                stub().describe().getMemo(SendEmailWorkflow.CONFIRMED_BY_MEMO, String.class));

        env.sleep(Duration.ofDays(7).plusHours(1));
        await(() -> sender.sent().size() >= 3);
        assertEquals(
                new EmailDetails(EMAIL, EmailDetails.THANK_YOU, 2, true),
                sender.sent().get(2));
    }

    @Test
    void anUnconfirmedSubscriptionEndsCompletedWhenItsTimeIsUpAndSendsNothingMore() {
        SendEmailWorkflow workflow = start(PENDING);
        await(() -> sender.sent().size() >= 1);

        env.sleep(Duration.ofDays(2).plusMinutes(1));
        stub().getResult(Void.class);

        assertEquals(
                WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
                stub().describe().getStatus());
        assertEquals(new EmailDetails(EMAIL, EmailDetails.NOT_CONFIRMED, 0, false), workflow.details());
        assertEquals(List.of(CONFIRMATION), sender.sent());
    }

    @Test
    void aCancelWhilePendingEndsItWithoutAGoodbye() {
        SendEmailWorkflow workflow = start(PENDING);
        await(() -> sender.sent().size() >= 1);

        stub().cancel("unsubscribe subscription-commands-0-9@abc");
        WorkflowFailedException failure =
                assertThrows(WorkflowFailedException.class, () -> stub().getResult(Void.class));

        assertInstanceOf(CanceledFailure.class, failure.getCause());
        assertEquals(List.of(CONFIRMATION), sender.sent());
        assertEquals(new EmailDetails(EMAIL, EmailDetails.CANCELLED_UNCONFIRMED, 0, false), workflow.details());
        assertEquals(
                "unsubscribe subscription-commands-0-9@abc",
                stub().describe().getMemo(SendEmailWorkflow.CANCELLED_BY_MEMO, String.class));
    }

    @Test
    void aSecondSubscribeResendsTheConfirmationAtMostOncePerResendPeriod() {
        SendEmailWorkflow workflow = start(PENDING);
        await(() -> sender.sent().size() >= 1);

        workflow.resendConfirmation(); // within the hour: nothing
        workflow.details(); // a query is answered after the signal sent before it was processed
        env.sleep(Duration.ofMinutes(61));
        workflow.resendConfirmation();
        await(() -> sender.sent().size() >= 2);
        workflow.resendConfirmation();
        workflow.details();

        assertEquals(List.of(CONFIRMATION, CONFIRMATION), sender.sent());
    }

    @Test
    void withoutConfirmWithinARunRecordsNoDoubleOptInMarker() {
        start(SubscriptionInput.of(EMAIL, Duration.ofDays(7)));
        await(() -> sender.sent().size() >= 1);

        assertEquals(
                new EmailDetails(EMAIL, EmailDetails.WELCOME, 1, true),
                sender.sent().get(0));
        assertTrue(client.fetchHistory(EMAIL).getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
                .noneMatch(e -> e.toString().contains(SendEmailWorkflowImpl.DOUBLE_OPT_IN)));
        assertNull(stub().describe().getMemo(SendEmailWorkflow.CONFIRMED_BY_MEMO, String.class));
    }

    @Test
    void aRefusedConfirmationEndsTheSubscriptionCompleted() {
        sender.refuseFrom(EMAIL, 0);
        SendEmailWorkflow workflow = start(PENDING);

        stub().getResult(Void.class);

        assertEquals(
                new EmailDetails(EMAIL, EmailDetails.REJECTED + RecordingEmailSender.REFUSAL, 0, false),
                workflow.details());
        assertEquals(List.of(), sender.sent());
    }

    private static void await(Supplier<Boolean> condition) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .until(condition::get);
    }
}
