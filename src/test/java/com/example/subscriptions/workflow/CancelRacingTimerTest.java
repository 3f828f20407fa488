package com.example.subscriptions.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The SDK's test server (the Temporal of the dev stack and of the tests) refuses a workflow task that cancels a timer
 * which fired while the task ran, and never hands the workflow another task: such a subscription stayed RUNNING after
 * its goodbye. Unsubscribes arriving at random moments against subscriptions whose timer fires every 20 ms in real
 * time hit that window several times in a few hundred (4 of 300 before the workflow stopped cancelling its timer).
 */
class CancelRacingTimerTest {

    private static final int SUBSCRIPTIONS = 300;

    @Test
    void unsubscribesThatRaceTheTimerAllEndCanceled() {
        RecordingEmailSender sender = new RecordingEmailSender();
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build())) {
            Worker worker = env.newWorker(SendEmailWorkflow.DEFAULT_TASK_QUEUE);
            worker.registerWorkflowImplementationTypes(SendEmailWorkflowImpl.class);
            worker.registerActivitiesImplementations(new EmailActivitiesImpl(sender));
            env.start();
            WorkflowClient client = env.getWorkflowClient();
            List<String> emails = IntStream.range(0, SUBSCRIPTIONS)
                    .mapToObj(i -> "race-" + i + "@example.com")
                    .toList();
            for (String email : emails) {
                client.newUntypedWorkflowStub(
                                SendEmailWorkflow.TYPE,
                                WorkflowOptions.newBuilder()
                                        .setWorkflowId(email)
                                        .setTaskQueue(SendEmailWorkflow.DEFAULT_TASK_QUEUE)
                                        .build())
                        .start(SubscriptionInput.of(email, Duration.ofMillis(20)));
            }

            for (String email : emails) {
                // Spread the cancels over the timers' cycle, so that some land just as a timer fires.
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000_000, 3_000_000));
                client.newUntypedWorkflowStub(email).cancel();
            }

            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> running(client, emails) == 0);
            for (String email : emails) {
                assertEquals(
                        1,
                        sender.sentTo(email).stream()
                                .filter(d -> !d.subscribed())
                                .count(),
                        email);
            }
        }
    }

    private static long running(WorkflowClient client, List<String> emails) {
        return emails.stream()
                .filter(email -> client.newUntypedWorkflowStub(email).describe().getStatus()
                        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)
                .count();
    }
}
