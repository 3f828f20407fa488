package com.example.subscriptions.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A relay that throttles (454) for a while: every email is delivered once it recovers, and nothing ends. */
class ThrottlingTest {

    private static final String EMAIL = "throttled@example.com";

    private final List<EmailDetails> delivered = new CopyOnWriteArrayList<>();
    private final AtomicInteger throttledLeft = new AtomicInteger();
    private final AtomicInteger throttledCounted = new AtomicInteger();
    private TestWorkflowEnvironment env;

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void throttledAttemptsAreRetriedUntilTheRelayRecoversCountedAndNeverGivenUp() {
        // More throttled attempts than an email refused for good gets before it is given up.
        throttledLeft.set(EmailActivitiesImpl.GIVE_UP_AFTER_ATTEMPTS * 2);
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(SendEmailWorkflow.DEFAULT_TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(SendEmailWorkflowImpl.class);
        EmailSender throttlingRelay = (details, delivery) -> {
            if (throttledLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw DeliveryFailedException.throttled(
                        "the server refused the message: 454 Throttling failure: Maximum sending rate exceeded.");
            }
            delivered.add(details);
        };
        worker.registerActivitiesImplementations(new EmailActivitiesImpl(throttlingRelay, new DeliveryReports() {
            @Override
            public void addressGone(EmailDetails email, String reply, DeliveryId delivery) {}

            @Override
            public void emailGivenUp(EmailDetails email, String reply, DeliveryId delivery, int attempts) {}

            @Override
            public void throttled() {
                throttledCounted.incrementAndGet();
            }
        }));
        env.start();
        WorkflowClient client = env.getWorkflowClient();
        SendEmailWorkflow workflow = client.newWorkflowStub(
                SendEmailWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(EMAIL)
                        .setTaskQueue(SendEmailWorkflow.DEFAULT_TASK_QUEUE)
                        .build());
        WorkflowClient.start(workflow::run, SubscriptionInput.of(EMAIL, Duration.ofHours(1)));

        // Temporal's default retry policy backs off 1 s, 2 s, 4 s ... up to 100 s: ten attempts take minutes.
        env.sleep(Duration.ofMinutes(20));
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> delivered.size() >= 1);

        assertEquals(List.of(new EmailDetails(EMAIL, EmailDetails.WELCOME, 1, true)), delivered);
        assertEquals(EmailActivitiesImpl.GIVE_UP_AFTER_ATTEMPTS * 2, throttledCounted.get());
        assertEquals(
                WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
                client.newUntypedWorkflowStub(EMAIL).describe().getStatus());
    }
}
