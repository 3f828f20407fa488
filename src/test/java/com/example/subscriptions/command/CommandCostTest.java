package com.example.subscriptions.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.app.TemporalTraffic;
import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.workflow.EmailActivitiesImpl;
import com.example.subscriptions.workflow.SendEmailWorkflow;
import com.example.subscriptions.workflow.SendEmailWorkflowImpl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What each kind of command costs Temporal, counted where the service spends it (a {@link TemporalTraffic} on its
 * channel): the calls and the bytes of their messages, for a subscription whose run has thousands of history events
 * and for one that sent a single email. Constant cost: the same calls, by method, and bytes within 1.5 times.
 */
class CommandCostTest {

    private static final String TASK_QUEUE = "cost-test";
    private static final EmailAddress OLD = new EmailAddress("old@example.com");
    private static final EmailAddress FRESH = new EmailAddress("fresh@example.com");
    private static final int OLD_EVENTS = 3_000;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TestWorkflowEnvironment env;
    private WorkflowServiceStubs countedStubs;
    private WorkflowClient client;
    private TemporalSubscriptions subscriptions;

    /** Calls by gRPC method, and bytes both ways, of one command. */
    private record Cost(Map<String, Long> calls, long bytes) {}

    @BeforeEach
    void startTemporal() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(SendEmailWorkflowImpl.class);
        worker.registerActivitiesImplementations(new EmailActivitiesImpl((details, delivery) -> {}));
        env.start();
        countedStubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setChannel(env.getWorkflowServiceStubs().getRawChannel())
                .addGrpcClientInterceptor(new TemporalTraffic(registry))
                .build());
        client = WorkflowClient.newInstance(
                countedStubs,
                WorkflowClientOptions.newBuilder()
                        .setNamespace(env.getNamespace())
                        .build());
        subscriptions = new TemporalSubscriptions(
                client, SendEmailWorkflow.TYPE, TASK_QUEUE, Duration.ofMinutes(1), 10_000, Runnable::run);
        // Once per connection, not per command: the client asks the server what it supports on its first call.
        assertEquals(Outcome.NOT_SUBSCRIBED, unsubscribe(new EmailAddress("warm-up@example.com"), 0));
    }

    @AfterEach
    void stopTemporal() {
        countedStubs.shutdownNow();
        env.close();
    }

    @Test
    void everyKindOfCommandCostsTheSameForASubscriptionWithThousandsOfEventsAsForAFreshOne() throws Exception {
        Map<String, Cost> old = new LinkedHashMap<>();
        Map<String, Cost> fresh = new LinkedHashMap<>();
        old.put("new subscribe", cost(() -> subscribe(OLD, 1), Outcome.SUBSCRIBED));
        growHistory();
        fresh.put("new subscribe", cost(() -> subscribe(FRESH, 1), Outcome.SUBSCRIBED));
        awaitFirstEmail(FRESH);
        long oldEvents = client.newUntypedWorkflowStub(OLD.value()).describe().getHistoryLength();
        long freshEvents =
                client.newUntypedWorkflowStub(FRESH.value()).describe().getHistoryLength();

        for (Map.Entry<EmailAddress, Map<String, Cost>> email :
                Map.of(OLD, old, FRESH, fresh).entrySet()) {
            EmailAddress who = email.getKey();
            Map<String, Cost> costs = email.getValue();
            costs.put("redelivered subscribe", cost(() -> subscribe(who, 1), Outcome.ALREADY_SUBSCRIBED));
            costs.put("duplicate subscribe", cost(() -> subscribe(who, 2), Outcome.ALREADY_SUBSCRIBED));
            costs.put("unsubscribe", cost(() -> unsubscribe(who, 3), Outcome.UNSUBSCRIBE_REQUESTED));
            costs.put("redelivered unsubscribe", cost(() -> unsubscribe(who, 3), Outcome.NOT_SUBSCRIBED));
            awaitClosed(who);
            costs.put("unsubscribe of nothing", cost(() -> unsubscribe(who, 4), Outcome.NOT_SUBSCRIBED));
            costs.put("replayed subscribe", cost(() -> subscribe(who, 2), Outcome.ALREADY_SUBSCRIBED));
            costs.put("re-subscribe", cost(() -> subscribe(who, 5), Outcome.SUBSCRIBED));
        }

        System.out.printf("history: old %d events, fresh %d%n", oldEvents, freshEvents);
        old.forEach((kind, cost) -> System.out.printf(
                "%-24s old %s %d B, fresh %s %d B%n",
                kind,
                cost.calls(),
                cost.bytes(),
                fresh.get(kind).calls(),
                fresh.get(kind).bytes()));
        for (String kind : old.keySet()) {
            Cost o = old.get(kind);
            Cost f = fresh.get(kind);
            assertEquals(f.calls(), o.calls(), kind + ": calls of the old subscription against the fresh one's");
            assertTrue(o.bytes() <= 1.5 * f.bytes(), kind + ": " + o.bytes() + " bytes against " + f.bytes());
        }
        assertTrue(oldEvents >= OLD_EVENTS && freshEvents < 20, oldEvents + " and " + freshEvents + " events");
    }

    /** Sends the old subscription about 270 emails in virtual time (11 events each); the fresh one is sent none. */
    private void growHistory() {
        env.sleep(Duration.ofMinutes(OLD_EVENTS / 11 + 5));
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(() ->
                        client.newUntypedWorkflowStub(OLD.value()).describe().getHistoryLength() >= OLD_EVENTS);
    }

    private void awaitFirstEmail(EmailAddress email) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() ->
                        client.newUntypedWorkflowStub(email.value()).describe().getHistoryLength() >= 11);
    }

    private Cost cost(Supplier<Outcome> command, Outcome expected) {
        Map<String, Long> callsBefore = calls();
        long bytesBefore = bytes();
        assertEquals(expected, command.get());
        Map<String, Long> calls = new TreeMap<>();
        calls().forEach((method, count) -> {
            long made = count - callsBefore.getOrDefault(method, 0L);
            if (made > 0) {
                calls.put(method, made);
            }
        });
        return new Cost(calls, bytes() - bytesBefore);
    }

    private Map<String, Long> calls() {
        Map<String, Long> calls = new TreeMap<>();
        registry.find("subscriptions.temporal.calls")
                .counters()
                .forEach(c -> calls.put(c.getId().getTag("method"), (long) c.count()));
        return calls;
    }

    private long bytes() {
        return (long) registry.find("subscriptions.temporal.bytes").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private Outcome subscribe(EmailAddress email, long offset) {
        return join(subscriptions.subscribe(email, at(offset), false));
    }

    private Outcome unsubscribe(EmailAddress email, long offset) {
        return join(subscriptions.unsubscribe(email, at(offset), false));
    }

    private static Outcome join(java.util.concurrent.CompletionStage<Outcome> outcome) {
        try {
            return outcome.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitClosed(EmailAddress email) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> env.getWorkflowClient()
                                .newUntypedWorkflowStub(email.value())
                                .describe()
                                .getStatus()
                        != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    }

    private static CommandPosition at(long offset) {
        return new CommandPosition("subscription-commands", "id-1", 0, offset);
    }
}
