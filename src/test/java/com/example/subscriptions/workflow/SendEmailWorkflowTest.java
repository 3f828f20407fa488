package com.example.subscriptions.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class SendEmailWorkflowTest {

    private static final String EMAIL = "test@example.com";

    private final RecordingEmailSender sender = new RecordingEmailSender();
    /** What the activity reported: "gone <email> <reply>" or "given-up <email> #<count> <attempts> <reply>". */
    private final List<String> reports = new java.util.concurrent.CopyOnWriteArrayList<>();

    private TestWorkflowEnvironment env;
    private WorkflowClient client;

    @BeforeEach
    void startEnvironment() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(SendEmailWorkflow.DEFAULT_TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(SendEmailWorkflowImpl.class);
        worker.registerActivitiesImplementations(new EmailActivitiesImpl(sender, new DeliveryReports() {
            @Override
            public void addressGone(EmailDetails email, String reply, DeliveryId delivery) {
                reports.add("gone " + email.email() + " " + reply);
            }

            @Override
            public void emailGivenUp(EmailDetails email, String reply, DeliveryId delivery, int attempts) {
                reports.add("given-up " + email.email() + " #" + email.count() + " " + attempts + " " + reply);
            }
        }));
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void stopEnvironment() {
        sender.releaseLoopEmails();
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

    private WorkflowStub stub(String workflowId) {
        return client.newUntypedWorkflowStub(workflowId);
    }

    private WorkflowExecutionStatus status(String workflowId) {
        return stub(workflowId).describe().getStatus();
    }

    @Test
    void startedSubscriptionIsRunning() {
        start(new SubscriptionInput(EMAIL, null, null, null));

        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status(EMAIL));
    }

    @Test
    void cancelledSubscriptionEndsCanceledWithCanceledFailure() {
        start(new SubscriptionInput(EMAIL, null, null, null));

        stub(EMAIL).cancel();

        WorkflowFailedException failure =
                assertThrows(WorkflowFailedException.class, () -> stub(EMAIL).getResult(Void.class));
        assertInstanceOf(CanceledFailure.class, failure.getCause());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED, status(EMAIL));
    }

    @Test
    void sendsWelcomeThenThanksOncePerIntervalInVirtualTime() {
        SendEmailWorkflow workflow = start(new SubscriptionInput(EMAIL, "P7D", null, null));

        env.sleep(Duration.ofDays(7 * 3).plusHours(1));
        awaitEmailsSent(4);

        List<EmailDetails> sent = sender.sent();
        assertEquals(
                List.of(
                        new EmailDetails(EMAIL, EmailDetails.WELCOME, 1, true),
                        new EmailDetails(EMAIL, EmailDetails.THANK_YOU, 2, true),
                        new EmailDetails(EMAIL, EmailDetails.THANK_YOU, 3, true),
                        new EmailDetails(EMAIL, EmailDetails.THANK_YOU, 4, true)),
                sent);
        assertEquals(new EmailDetails(EMAIL, EmailDetails.THANK_YOU, 4, true), workflow.details());
    }

    @Test
    void defaultIntervalIsTwelveSeconds() {
        start(new SubscriptionInput(EMAIL, null, null, null));

        env.sleep(Duration.ofSeconds(12 * 2 + 6));
        awaitEmailsSent(3);

        assertEquals(3, sender.sent().size());
    }

    @Test
    void cancellationSendsTheGoodbyeExactlyOnceWithCountUnchanged() {
        SendEmailWorkflow workflow = start(new SubscriptionInput(EMAIL, "PT12S", null, null));
        env.sleep(Duration.ofSeconds(30));
        awaitEmailsSent(3);

        stub(EMAIL).cancel();
        assertThrows(WorkflowFailedException.class, () -> stub(EMAIL).getResult(Void.class));

        List<EmailDetails> sent = sender.sent();
        assertEquals(4, sent.size());
        assertEquals(new EmailDetails(EMAIL, EmailDetails.GOODBYE, 3, false), sent.get(3));
        assertEquals(1, sent.stream().filter(d -> !d.subscribed()).count());
    }

    @Test
    void aCancelledRunNamesTheReasonOfItsCancellationInItsMemo() {
        start(new SubscriptionInput(EMAIL, null, null, null));
        start(new SubscriptionInput("other@example.com", null, null, null));

        stub(EMAIL).cancel("unsubscribe subscription-commands-1-7@id");
        stub("other@example.com").cancel();
        assertThrows(WorkflowFailedException.class, () -> stub(EMAIL).getResult(Void.class));
        assertThrows(
                WorkflowFailedException.class, () -> stub("other@example.com").getResult(Void.class));

        assertEquals(
                "unsubscribe subscription-commands-1-7@id",
                stub(EMAIL).describe().getMemo(SendEmailWorkflow.CANCELLED_BY_MEMO, String.class));
        assertEquals(
                "",
                stub("other@example.com").describe().getMemo(SendEmailWorkflow.CANCELLED_BY_MEMO, String.class),
                "a cancel without a reason (the tutorial's client) still marks the run");
    }

    @Test
    void aBounceEndsTheSubscriptionCanceledWithoutAGoodbyeAndItsDetailsSayWhy() {
        SendEmailWorkflow workflow = start(new SubscriptionInput(EMAIL, "PT12S", null, null));
        env.sleep(Duration.ofSeconds(15));
        awaitEmailsSent(2);

        stub(EMAIL).cancel("bounce subscription-commands-1-9@id");

        assertThrows(WorkflowFailedException.class, () -> stub(EMAIL).getResult(Void.class));
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED, status(EMAIL));
        assertEquals(new EmailDetails(EMAIL, EmailDetails.BOUNCED, 2, false), workflow.details());
        assertEquals(
                List.of(1, 2), sender.sent().stream().map(EmailDetails::count).toList(), "no goodbye was sent");
        assertEquals(
                "bounce subscription-commands-1-9@id",
                stub(EMAIL).describe().getMemo(SendEmailWorkflow.CANCELLED_BY_MEMO, String.class));
    }

    @Test
    void aComplaintWhileAnEmailIsBeingSentEndsTheSubscriptionWithoutAGoodbye() throws Exception {
        sender.holdLoopEmails();
        SendEmailWorkflow workflow = start(new SubscriptionInput(EMAIL, null, null, null));
        assertTrue(sender.awaitLoopEmailStarted(10, TimeUnit.SECONDS), "the first email never started");

        stub(EMAIL).cancel("complaint subscription-commands-0-3@id");

        assertCanceledWithin(EMAIL, Duration.ofSeconds(10));
        sender.releaseLoopEmails();
        assertEquals(new EmailDetails(EMAIL, EmailDetails.COMPLAINED, 1, false), workflow.details());
        assertTrue(sender.sent().stream().allMatch(EmailDetails::subscribed), "no goodbye was sent");
    }

    @Test
    void onlyTheFirstWordOfTheReasonNamesABounce() {
        start(new SubscriptionInput(EMAIL, null, null, null));

        stub(EMAIL).cancel("bouncer subscription-commands-1-9@id");

        assertThrows(WorkflowFailedException.class, () -> stub(EMAIL).getResult(Void.class));
        assertEquals(
                1, sender.sentTo(EMAIL).stream().filter(d -> !d.subscribed()).count(), "the goodbye was sent");
    }

    @Test
    void aRunningSubscriptionHasNoCancelledByMemo() {
        start(new SubscriptionInput(EMAIL, null, null, null));
        env.sleep(Duration.ofSeconds(1));
        awaitEmailsSent(1);

        assertEquals(null, stub(EMAIL).describe().getMemo(SendEmailWorkflow.CANCELLED_BY_MEMO, String.class));
    }

    @Test
    void detailsStillAnswerAfterTheSubscriptionClosed() {
        start(new SubscriptionInput(EMAIL, null, null, null));
        stub(EMAIL).cancel();
        assertThrows(WorkflowFailedException.class, () -> stub(EMAIL).getResult(Void.class));

        EmailDetails details =
                client.newWorkflowStub(SendEmailWorkflow.class, EMAIL).details();

        assertEquals(new EmailDetails(EMAIL, EmailDetails.GOODBYE, 1, false), details);
    }

    @Test
    void secondStartWithTheSameIdWhileRunningIsRejected() {
        start(new SubscriptionInput(EMAIL, null, null, null));

        assertThrows(
                WorkflowExecutionAlreadyStarted.class, () -> start(new SubscriptionInput(EMAIL, null, null, null)));
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status(EMAIL));
    }

    @Test
    void invalidIntervalFailsTheWorkflowInsteadOfRetryingForever() {
        start(new SubscriptionInput(EMAIL, "soon", null, null));

        WorkflowFailedException failure =
                assertThrows(WorkflowFailedException.class, () -> stub(EMAIL).getResult(Void.class));
        assertTrue(
                failure.getCause().getMessage().contains("ISO-8601"),
                failure.getCause().getMessage());
    }

    @Test
    void tutorialStyleInputWithExtraFieldsIsAccepted() {
        // The tutorial's test starts the workflow with a whole EmailDetails.
        WorkflowStub untyped = client.newUntypedWorkflowStub(
                SendEmailWorkflow.TYPE,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(EMAIL)
                        .setTaskQueue(SendEmailWorkflow.DEFAULT_TASK_QUEUE)
                        .build());
        untyped.start(new EmailDetails(EMAIL, "Here's your message!", 0, false));

        env.sleep(Duration.ofSeconds(1));
        awaitEmailsSent(1);

        assertEquals(
                new EmailDetails(EMAIL, EmailDetails.WELCOME, 1, true),
                untyped.query(SendEmailWorkflow.DETAILS_QUERY, EmailDetails.class));
    }

    @Test
    void continueAsNewCarriesCountAndMessageAcrossThousandsOfEmailsWithBoundedHistory() {
        int emailsPerRun = 100;
        SendEmailWorkflow workflow = start(new SubscriptionInput(EMAIL, "PT1M", null, emailsPerRun));

        env.sleep(Duration.ofMinutes(2_000).plusSeconds(30));
        awaitEmailsSent(2_001);

        EmailDetails details = workflow.details();
        assertEquals(new EmailDetails(EMAIL, EmailDetails.THANK_YOU, 2_001, true), details);
        List<Integer> counts = sender.sent().stream().map(EmailDetails::count).toList();
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 2_001).boxed().toList(), counts);

        List<HistoryEvent> currentRun = client.fetchHistory(EMAIL).getEvents();
        assertTrue(currentRun.size() < emailsPerRun * 12, "history of one run: " + currentRun.size());
        assertEquals(
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
                currentRun.get(0).getEventType());
        assertFalse(currentRun
                .get(0)
                .getWorkflowExecutionStartedEventAttributes()
                .getContinuedExecutionRunId()
                .isEmpty());

        stub(EMAIL).cancel();
        assertThrows(WorkflowFailedException.class, () -> stub(EMAIL).getResult(Void.class));
        assertEquals(new EmailDetails(EMAIL, EmailDetails.GOODBYE, 2_001, false), workflow.details());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED, status(EMAIL));
    }

    @Test
    void aRefusedWelcomeEndsTheSubscriptionCompletedWithTheServersReplyInItsDetails() {
        sender.refuseFrom(EMAIL, 1);
        SendEmailWorkflow workflow = start(new SubscriptionInput(EMAIL, "PT12S", null, null));

        stub(EMAIL).getResult(Void.class);

        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, status(EMAIL));
        assertEquals(
                new EmailDetails(EMAIL, EmailDetails.REJECTED + RecordingEmailSender.REFUSAL, 0, false),
                workflow.details());
        assertEquals(List.of(), sender.sent());
    }

    @Test
    void aRefusedLaterEmailEndsTheSubscriptionAndNothingMoreIsSent() {
        sender.refuseFrom(EMAIL, 3);
        SendEmailWorkflow workflow = start(new SubscriptionInput(EMAIL, "PT12S", null, null));

        env.sleep(Duration.ofSeconds(25));
        stub(EMAIL).getResult(Void.class);
        env.sleep(Duration.ofMinutes(10));

        assertEquals(
                new EmailDetails(EMAIL, EmailDetails.REJECTED + RecordingEmailSender.REFUSAL, 2, false),
                workflow.details());
        assertEquals(
                List.of(1, 2), sender.sent().stream().map(EmailDetails::count).toList());
        assertEquals(3, sender.attempts().size(), "a refused email is not retried");
    }

    @Test
    void aRefusedAddressIsReportedOnce() {
        sender.refuseFrom(EMAIL, 1);
        start(new SubscriptionInput(EMAIL, "PT12S", null, null));

        stub(EMAIL).getResult(Void.class);

        assertEquals(List.of("gone " + EMAIL + " " + RecordingEmailSender.REFUSAL), reports);
    }

    @Test
    void anEmailRefusedForGoodIsGivenUpAfterABoundedNumberOfAttemptsAndTheNextOneFollows() {
        sender.refuseMessages(EMAIL, EmailActivitiesImpl.GIVE_UP_AFTER_ATTEMPTS);
        SendEmailWorkflow workflow = start(new SubscriptionInput(EMAIL, "PT1H", null, null));

        env.sleep(Duration.ofMinutes(61));
        awaitEmailsSent(1);

        List<DeliveryId> attempts = sender.attempts();
        assertEquals(EmailActivitiesImpl.GIVE_UP_AFTER_ATTEMPTS + 1, attempts.size());
        assertEquals(
                1,
                attempts.subList(0, EmailActivitiesImpl.GIVE_UP_AFTER_ATTEMPTS).stream()
                        .distinct()
                        .count(),
                "the given-up email's attempts");
        assertEquals(
                List.of("given-up " + EMAIL + " #1 " + EmailActivitiesImpl.GIVE_UP_AFTER_ATTEMPTS + " "
                        + RecordingEmailSender.MESSAGE_REFUSAL),
                reports);
        assertEquals(
                List.of(new EmailDetails(EMAIL, EmailDetails.WELCOME, 1, true)),
                sender.sent(),
                "the welcome given up, the next email is the welcome again, an interval later");
        assertEquals(new EmailDetails(EMAIL, EmailDetails.WELCOME, 1, true), workflow.details());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status(EMAIL));
    }

    @Test
    void emailsGivenUpInARowEndTheSubscriptionCompletedAndTheDetailsSayWhy() {
        int attempts = EmailActivitiesImpl.GIVE_UP_AFTER_ATTEMPTS * SendEmailWorkflow.GIVE_UPS_END_SUBSCRIPTION;
        sender.refuseMessages(EMAIL, attempts);
        SendEmailWorkflow workflow = start(new SubscriptionInput(EMAIL, "PT12S", null, null));

        stub(EMAIL).getResult(Void.class);

        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, status(EMAIL));
        assertEquals(
                new EmailDetails(
                        EMAIL,
                        String.format(EmailDetails.GIVEN_UP_IN_A_ROW, SendEmailWorkflow.GIVE_UPS_END_SUBSCRIPTION)
                                + RecordingEmailSender.MESSAGE_REFUSAL,
                        0,
                        false),
                workflow.details());
        assertEquals(attempts, sender.attempts().size());
        assertEquals(SendEmailWorkflow.GIVE_UPS_END_SUBSCRIPTION, reports.size());
        assertEquals(List.of(), sender.sent());
    }

    @Test
    void aDeliveredEmailStartsTheCountOfEmailsGivenUpInARowAgain() {
        int twoGivenUp = 2 * EmailActivitiesImpl.GIVE_UP_AFTER_ATTEMPTS;
        sender.refuseMessages(EMAIL, twoGivenUp);
        SendEmailWorkflow workflow = start(new SubscriptionInput(EMAIL, "PT12S", null, null));
        env.sleep(Duration.ofSeconds(40));
        awaitEmailsSent(1);

        sender.refuseMessages(EMAIL, twoGivenUp);
        env.sleep(Duration.ofSeconds(60));
        awaitEmailsSent(2);

        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status(EMAIL));
        assertEquals(4, reports.size(), "four given up, never three in a row");
        assertEquals(
                List.of(1, 2), sender.sent().stream().map(EmailDetails::count).toList());
        assertTrue(workflow.details().subscribed());
    }

    @Test
    void aRefusedGoodbyeStillEndsTheSubscriptionCanceled() {
        SendEmailWorkflow workflow = start(new SubscriptionInput(EMAIL, "PT12S", null, null));
        env.sleep(Duration.ofSeconds(1));
        awaitEmailsSent(1);
        sender.refuseFrom(EMAIL, 2);

        stub(EMAIL).cancel();

        assertThrows(WorkflowFailedException.class, () -> stub(EMAIL).getResult(Void.class));
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED, status(EMAIL));
        assertEquals(new EmailDetails(EMAIL, EmailDetails.GOODBYE, 1, false), workflow.details());
    }

    @Test
    void everyAttemptOfOneEmailCarriesTheSameDeliveryIdAndEveryEmailItsOwn() {
        sender.failTransiently(2);
        start(new SubscriptionInput(EMAIL, "PT12S", null, null));

        env.sleep(Duration.ofSeconds(30));
        awaitEmailsSent(2);

        List<DeliveryId> attempts = sender.attempts();
        assertEquals(attempts.get(0), attempts.get(1), "a retried attempt must name the same email");
        assertEquals(attempts.get(0), attempts.get(2), "a retried attempt must name the same email");
        assertEquals(EMAIL, attempts.get(0).workflowId());
        assertFalse(attempts.get(3).equals(attempts.get(0)), "the second email must have an id of its own");
    }

    @RepeatedTest(20)
    void cancelWhileAnEmailIsBeingSentEndsCanceledPromptly() throws Exception {
        sender.holdLoopEmails();
        start(new SubscriptionInput(EMAIL, null, null, null));
        assertTrue(sender.awaitLoopEmailStarted(10, TimeUnit.SECONDS), "the first email never started");

        stub(EMAIL).cancel();

        assertCanceledWithin(EMAIL, Duration.ofSeconds(10));
        assertEquals(List.of(new EmailDetails(EMAIL, EmailDetails.GOODBYE, 1, false)), sender.sent());
    }

    @Test
    void immediateCancelsNeverLeaveASubscriptionRunning() throws Exception {
        for (int i = 0; i < 50; i++) {
            String email = "immediate-" + i + "@example.com";
            start(new SubscriptionInput(email, null, null, null));
            stub(email).cancel();
        }
        for (int i = 0; i < 50; i++) {
            String email = "immediate-" + i + "@example.com";
            assertCanceledWithin(email, Duration.ofSeconds(10));
            assertEquals(
                    1,
                    sender.sentTo(email).stream().filter(d -> !d.subscribed()).count());
        }
    }

    /** Virtual time has passed; the activities it made due may still be running in real time on a busy machine. */
    private void awaitEmailsSent(int count) {
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> sender.sent().size() >= count);
    }

    private void assertCanceledWithin(String workflowId, Duration timeout) throws TimeoutException {
        WorkflowFailedException failure = assertThrows(
                WorkflowFailedException.class,
                () -> stub(workflowId).getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, Void.class));
        assertInstanceOf(CanceledFailure.class, failure.getCause());
        assertFalse(
                stub(workflowId).describe().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    }
}
