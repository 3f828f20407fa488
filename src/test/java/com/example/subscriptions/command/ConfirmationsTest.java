package com.example.subscriptions.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.workflow.EmailActivitiesImpl;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.SendEmailWorkflow;
import com.example.subscriptions.workflow.SendEmailWorkflowImpl;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Double opt-in through the bridge, against Temporal's in-memory service. */
class ConfirmationsTest {

    private static final String TASK_QUEUE = "confirmations-test";
    private static final EmailAddress ALICE = new EmailAddress("alice@example.com");

    private final List<EmailDetails> sent = new CopyOnWriteArrayList<>();
    private TestWorkflowEnvironment env;
    private WorkflowClient client;
    private TemporalSubscriptions subscriptions;
    private TemporalSubscriptions withoutDoubleOptIn;

    @BeforeEach
    void startTemporal() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(SendEmailWorkflowImpl.class);
        worker.registerActivitiesImplementations(new EmailActivitiesImpl((details, delivery) -> sent.add(details)));
        env.start();
        client = env.getWorkflowClient();
        withoutDoubleOptIn = new TemporalSubscriptions(
                client, SendEmailWorkflow.TYPE, TASK_QUEUE, Duration.ofHours(1), 10, Runnable::run);
        subscriptions = withoutDoubleOptIn.withDoubleOptIn(Duration.ofDays(2), Duration.ofHours(1));
    }

    @AfterEach
    void stopTemporal() {
        env.close();
    }

    private static CommandPosition at(long offset) {
        return new CommandPosition("subscription-commands", "id-1", 3, offset);
    }

    private Outcome confirm(long offset) throws Exception {
        return subscriptions.confirm(ALICE, at(offset)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private Outcome subscribe(long offset) throws Exception {
        return subscriptions
                .subscribe(ALICE, at(offset), false)
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    private Outcome unsubscribe(long offset) throws Exception {
        return subscriptions
                .unsubscribe(ALICE, at(offset), false)
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    private List<String> messages() {
        return sent.stream().map(EmailDetails::message).toList();
    }

    @Test
    void aSubscribeStartsAPendingRunThatSendsOnlyTheConfirmation() throws Exception {
        assertEquals(Outcome.SUBSCRIBED, subscribe(10));
        await(() -> sent.size() >= 1);

        assertEquals(List.of(EmailDetails.AWAITING_CONFIRMATION), messages());
    }

    @Test
    void aConfirmConfirmsThePendingRunOnceAndARedeliveryGetsTheSameAnswer() throws Exception {
        subscribe(10);
        await(() -> sent.size() >= 1);

        assertEquals(Outcome.CONFIRMED, confirm(11));
        await(() -> sent.size() >= 2);
        assertEquals(List.of(EmailDetails.AWAITING_CONFIRMATION, EmailDetails.WELCOME), messages());

        assertEquals(Outcome.CONFIRMED, confirm(11), "the same record again");
        assertEquals(Outcome.NOT_PENDING, confirm(12), "a later confirm");
    }

    @Test
    void aConfirmWithoutASubscriptionOrForOneWithoutDoubleOptInChangesNothing() throws Exception {
        assertEquals(Outcome.NOT_SUBSCRIBED, confirm(5));

        withoutDoubleOptIn.subscribe(ALICE, at(10), false).toCompletableFuture().get(30, TimeUnit.SECONDS);
        await(() -> sent.size() >= 1);
        assertEquals(Outcome.NOT_PENDING, confirm(11));
    }

    @Test
    void anUnsubscribeWhilePendingEndsTheRunWithoutAGoodbyeAndALaterConfirmFindsNothing() throws Exception {
        subscribe(10);
        await(() -> sent.size() >= 1);

        assertEquals(Outcome.UNSUBSCRIBE_REQUESTED, unsubscribe(11));
        await(() -> client.newUntypedWorkflowStub(ALICE.value()).describe().getStatus()
                == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);

        assertEquals(Outcome.NOT_SUBSCRIBED, confirm(12));
        assertEquals(List.of(EmailDetails.AWAITING_CONFIRMATION), messages());
    }

    @Test
    void aSecondSubscribeWhilePendingResendsTheConfirmationOncePerPeriod() throws Exception {
        subscribe(10);
        await(() -> sent.size() >= 1);

        assertEquals(Outcome.ALREADY_SUBSCRIBED, subscribe(11));
        env.sleep(Duration.ofMinutes(61));
        assertEquals(Outcome.ALREADY_SUBSCRIBED, subscribe(12));
        await(() -> sent.size() >= 2);
        assertEquals(Outcome.ALREADY_SUBSCRIBED, subscribe(13));
        assertEquals(Outcome.CONFIRMED, confirm(14));
        await(() -> sent.size() >= 3);

        assertEquals(
                List.of(EmailDetails.AWAITING_CONFIRMATION, EmailDetails.AWAITING_CONFIRMATION, EmailDetails.WELCOME),
                messages());
    }

    private static void await(Supplier<Boolean> condition) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .until(condition::get);
    }
}
