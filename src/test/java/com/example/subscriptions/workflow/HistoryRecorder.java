package com.example.subscriptions.workflow;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Records histories of the workflow as the code stands, for {@link SendEmailWorkflowReplayTest}. Run it before a change
 * to the workflow, so that the change is tested against what running subscriptions have in their histories:
 * {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=com.example.subscriptions.workflow.HistoryRecorder -Dexec.args=src/test/resources/histories/NAME}
 */
public final class HistoryRecorder {

    private HistoryRecorder() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        RecordingEmailSender sender = new RecordingEmailSender();
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
            Worker worker = env.newWorker(SendEmailWorkflow.DEFAULT_TASK_QUEUE);
            worker.registerWorkflowImplementationTypes(SendEmailWorkflowImpl.class);
            worker.registerActivitiesImplementations(new EmailActivitiesImpl(sender));
            env.start();
            WorkflowClient client = env.getWorkflowClient();

            // Three emails, then an unsubscribe while the workflow sleeps between emails.
            start(client, "sleeping@example.com", SubscriptionInput.of("sleeping@example.com", Duration.ofSeconds(12)));
            env.sleep(Duration.ofSeconds(30));
            await(() -> sender.sentTo("sleeping@example.com").size() >= 3);
            cancelAndWait(
                    client, "sleeping@example.com", "unsubscribe subscription-commands-2-41@aBcDeFgHiJkLmNoPqRsTuV");
            write(dir, "cancelled-while-sleeping", client, "sleeping@example.com");

            // An unsubscribe while the welcome email is being sent (abandoned activity), by the tutorial's client (no
            // reason).
            sender.holdLoopEmails();
            start(client, "sending@example.com", SubscriptionInput.of("sending@example.com", Duration.ofSeconds(12)));
            sender.awaitLoopEmailStarted(10, TimeUnit.SECONDS);
            client.newUntypedWorkflowStub("sending@example.com").cancel();
            await(() -> !sender.sentTo("sending@example.com").isEmpty());
            sender.releaseLoopEmails();
            waitClosed(client, "sending@example.com");
            write(dir, "cancelled-while-sending", client, "sending@example.com");

            // A run that continues as new after its third email; its first run's history.
            start(client, "continued@example.com", new SubscriptionInput("continued@example.com", "PT12S", null, 3));
            env.sleep(Duration.ofSeconds(40));
            await(() -> sender.sentTo("continued@example.com").size() >= 4);
            String firstRunId = client.fetchHistory("continued@example.com")
                    .getEvents()
                    .get(0)
                    .getWorkflowExecutionStartedEventAttributes()
                    .getFirstExecutionRunId();
            write(
                    dir,
                    "continued-as-new",
                    client.fetchHistory("continued@example.com", firstRunId).toJson(true));

            // A subscriber whose mail server refuses the second email for good: the subscription ends COMPLETED.
            sender.refuseFrom("refused@example.com", 2);
            start(client, "refused@example.com", SubscriptionInput.of("refused@example.com", Duration.ofSeconds(12)));
            env.sleep(Duration.ofSeconds(15));
            waitClosed(client, "refused@example.com");
            write(dir, "refused", client, "refused@example.com");

            // A subscriber whose address bounced after two emails: ended without a goodbye.
            start(client, "bounced@example.com", SubscriptionInput.of("bounced@example.com", Duration.ofSeconds(12)));
            env.sleep(Duration.ofSeconds(15));
            await(() -> sender.sentTo("bounced@example.com").size() >= 2);
            cancelAndWait(client, "bounced@example.com", "bounce subscription-commands-2-43@aBcDeFgHiJkLmNoPqRsTuV");
            write(dir, "bounced", client, "bounced@example.com");

            // A welcome refused for good on every attempt, given up; the next email delivered.
            sender.refuseMessages("given-up@example.com", EmailActivitiesImpl.GIVE_UP_AFTER_ATTEMPTS);
            start(client, "given-up@example.com", SubscriptionInput.of("given-up@example.com", Duration.ofSeconds(12)));
            env.sleep(Duration.ofSeconds(40));
            await(() -> sender.sentTo("given-up@example.com").size() >= 1);
            write(dir, "given-up", client, "given-up@example.com");

            // Three emails in a row given up: the subscription ends COMPLETED.
            sender.refuseMessages(
                    "given-up-thrice@example.com",
                    EmailActivitiesImpl.GIVE_UP_AFTER_ATTEMPTS * SendEmailWorkflow.GIVE_UPS_END_SUBSCRIPTION);
            start(
                    client,
                    "given-up-thrice@example.com",
                    SubscriptionInput.of("given-up-thrice@example.com", Duration.ofSeconds(12)));
            env.sleep(Duration.ofMinutes(2));
            waitClosed(client, "given-up-thrice@example.com");
            write(dir, "given-up-thrice", client, "given-up-thrice@example.com");

            // Double opt-in: confirmed after the confirmation, welcome sent; re-subscribed while pending.
            SubscriptionInput confirmed = SubscriptionInput.of("confirmed@example.com", Duration.ofSeconds(12))
                    .awaitingConfirmation(Duration.ofDays(2), Duration.ofHours(1));
            start(client, "confirmed@example.com", confirmed);
            await(() -> sender.sentTo("confirmed@example.com").size() >= 1);
            client.newUntypedWorkflowStub("confirmed@example.com").signal(SendEmailWorkflow.RESEND_CONFIRMATION_SIGNAL);
            client.newUntypedWorkflowStub("confirmed@example.com")
                    .signal(
                            SendEmailWorkflow.CONFIRM_SIGNAL,
                            "confirm subscription-commands-2-44@aBcDeFgHiJkLmNoPqRsTuV");
            await(() -> sender.sentTo("confirmed@example.com").size() >= 2);
            write(dir, "confirmed", client, "confirmed@example.com");

            // Double opt-in, never confirmed: ends COMPLETED after confirmWithin.
            start(
                    client,
                    "unconfirmed@example.com",
                    SubscriptionInput.of("unconfirmed@example.com", Duration.ofSeconds(12))
                            .awaitingConfirmation(Duration.ofHours(1), Duration.ofMinutes(10)));
            await(() -> sender.sentTo("unconfirmed@example.com").size() >= 1);
            env.sleep(Duration.ofHours(2));
            waitClosed(client, "unconfirmed@example.com");
            write(dir, "unconfirmed", client, "unconfirmed@example.com");

            // Double opt-in, unsubscribed while pending: no goodbye.
            start(
                    client,
                    "cancelled-pending@example.com",
                    SubscriptionInput.of("cancelled-pending@example.com", Duration.ofSeconds(12))
                            .awaitingConfirmation(Duration.ofDays(2), Duration.ofHours(1)));
            await(() -> sender.sentTo("cancelled-pending@example.com").size() >= 1);
            cancelAndWait(
                    client,
                    "cancelled-pending@example.com",
                    "unsubscribe subscription-commands-2-45@aBcDeFgHiJkLmNoPqRsTuV");
            write(dir, "cancelled-while-pending", client, "cancelled-pending@example.com");

            // A subscription still running, between its second and third email.
            start(client, "running@example.com", SubscriptionInput.of("running@example.com", Duration.ofSeconds(12)));
            env.sleep(Duration.ofSeconds(15));
            await(() -> sender.sentTo("running@example.com").size() >= 2);
            write(dir, "running", client, "running@example.com");
        }
        System.exit(0);
    }

    private static void start(WorkflowClient client, String email, SubscriptionInput input) {
        client.newUntypedWorkflowStub(
                        SendEmailWorkflow.TYPE,
                        WorkflowOptions.newBuilder()
                                .setWorkflowId(email)
                                .setTaskQueue(SendEmailWorkflow.DEFAULT_TASK_QUEUE)
                                .setMemo(Map.of(
                                        SendEmailWorkflow.STARTED_BY_MEMO,
                                        "subscription-commands-2-40@aBcDeFgHiJkLmNoPqRsTuV"))
                                .build())
                .start(input);
    }

    private static void cancelAndWait(WorkflowClient client, String email, String reason) {
        client.newUntypedWorkflowStub(email).cancel(reason);
        waitClosed(client, email);
    }

    private static void waitClosed(WorkflowClient client, String email) {
        WorkflowStub stub = client.newUntypedWorkflowStub(email);
        await(() -> stub.describe().getStatus()
                != io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10))
                .until(condition);
    }

    private static void write(Path dir, String name, WorkflowClient client, String email) throws IOException {
        write(dir, name, client.fetchHistory(email).toJson(true));
    }

    private static void write(Path dir, String name, String json) throws IOException {
        Files.writeString(dir.resolve(name + ".json"), json);
        System.out.println("wrote " + dir.resolve(name + ".json"));
    }
}
