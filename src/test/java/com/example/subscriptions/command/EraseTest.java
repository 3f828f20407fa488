package com.example.subscriptions.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.core.SubscriberIds;
import com.example.subscriptions.status.Lookup;
import com.example.subscriptions.status.TemporalSubscriptionLookup;
import com.example.subscriptions.workflow.EmailActivitiesImpl;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.SendEmailWorkflow;
import com.example.subscriptions.workflow.SendEmailWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Erasure against Temporal's in-memory service, with {@link DeletingServer} standing in for the deletion a real server
 * has and the test server lacks: the running run ends without a goodbye, every run of the subscriber's pseudonymous
 * id is deleted, and a later details request answers NOT_FOUND.
 */
class EraseTest {

    private static final String TASK_QUEUE = "erase-test";
    private static final EmailAddress ALICE = new EmailAddress("alice@example.com");

    private final List<EmailDetails> sent = new CopyOnWriteArrayList<>();
    private final DeletingServer server = new DeletingServer();
    private final SubscriberIds ids = SubscriberIds.keyed(key());
    private TestWorkflowEnvironment env;
    private WorkflowClient client;
    private TemporalSubscriptions subscriptions;

    private static byte[] key() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 5);
        return key;
    }

    @BeforeEach
    void startTemporal() {
        env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkflowServiceStubsOptions(WorkflowServiceStubsOptions.newBuilder()
                        .addGrpcClientInterceptor(server)
                        .build())
                .build());
        Worker worker = env.newWorker(TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(SendEmailWorkflowImpl.class);
        worker.registerActivitiesImplementations(new EmailActivitiesImpl((details, delivery) -> sent.add(details)));
        env.start();
        client = env.getWorkflowClient();
        subscriptions = new TemporalSubscriptions(
                client, ids, SendEmailWorkflow.TYPE, TASK_QUEUE, Duration.ofHours(1), 2, Runnable::run);
    }

    @AfterEach
    void stopTemporal() {
        env.close();
    }

    private static CommandPosition at(long offset) {
        return new CommandPosition("subscription-commands", "id-1", 3, offset);
    }

    private Outcome erase(long offset, boolean retry) throws Exception {
        return subscriptions
                .erase(ALICE, at(offset), retry)
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    private String workflowId() {
        return ids.workflowId(ALICE);
    }

    private String runId() {
        return client.newUntypedWorkflowStub(workflowId())
                .describe()
                .getExecution()
                .getRunId();
    }

    @Test
    void anEraseEndsTheRunningSubscriptionWithoutAGoodbyeAndDeletesEveryRun() throws Exception {
        List<String> runs = new ArrayList<>();
        assertEquals(
                Outcome.SUBSCRIBED,
                subscriptions
                        .subscribe(ALICE, at(10), false)
                        .toCompletableFuture()
                        .get());
        runs.add(workflowId() + "/" + runId());
        assertEquals(
                Outcome.UNSUBSCRIBE_REQUESTED,
                subscriptions
                        .unsubscribe(ALICE, at(20), false)
                        .toCompletableFuture()
                        .get());
        client.newUntypedWorkflowStub(workflowId())
                .getResultAsync(Void.class)
                .exceptionally(cancelled -> null)
                .get();
        assertEquals(
                Outcome.SUBSCRIBED,
                subscriptions
                        .subscribe(ALICE, at(30), false)
                        .toCompletableFuture()
                        .get());
        String running = runId();
        runs.add(workflowId() + "/" + running);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sent.size() == 3);
        long sentBefore = sent.size();

        assertEquals(Outcome.ERASED, erase(40, false));

        assertEquals(
                runs.stream().sorted().toList(),
                server.deletedRuns.stream().sorted().toList());
        assertTrue(server.deletedRuns.stream().allMatch(run -> run.startsWith(SubscriberIds.PSEUDONYM_PREFIX)));
        assertEquals(List.of(workflowId()), server.terminated, "only the running run is terminated");
        assertEquals(
                sentBefore, sent.size(), "an erased subscription sent " + sent.subList((int) sentBefore, sent.size()));
    }

    @Test
    void aLaterDetailsRequestAnswersNotFound() throws Exception {
        subscriptions.subscribe(ALICE, at(10), false).toCompletableFuture().get();
        TemporalSubscriptionLookup lookup =
                new TemporalSubscriptionLookup(client, ids, Duration.ofSeconds(10), Runnable::run);
        assertInstanceOf(
                Lookup.Found.class, lookup.lookup(ALICE).toCompletableFuture().get());

        assertEquals(Outcome.ERASED, erase(20, false));

        assertInstanceOf(
                Lookup.NotFound.class,
                lookup.lookup(ALICE).toCompletableFuture().get());
    }

    @Test
    void aReplayedEraseFindsNothingButARetryGetsTheAnswerItsFirstTryHad() throws Exception {
        subscriptions.subscribe(ALICE, at(10), false).toCompletableFuture().get();
        assertEquals(Outcome.ERASED, erase(20, false));

        assertEquals(Outcome.NOT_FOUND, erase(20, false));
        assertEquals(Outcome.ERASED, erase(20, true));
        assertEquals(1, server.terminated.size());
    }

    @Test
    void anEraseOfAnAddressThatNeverSubscribedFindsNothing() throws Exception {
        assertEquals(Outcome.NOT_FOUND, erase(10, false));
        assertTrue(server.deletedRuns.isEmpty());
    }

    @Test
    void aSubscribeAfterAnEraseStartsAfresh() throws Exception {
        subscriptions.subscribe(ALICE, at(10), false).toCompletableFuture().get();
        assertEquals(Outcome.ERASED, erase(20, false));

        assertEquals(
                Outcome.SUBSCRIBED,
                subscriptions
                        .subscribe(ALICE, at(30), false)
                        .toCompletableFuture()
                        .get());
    }
}
