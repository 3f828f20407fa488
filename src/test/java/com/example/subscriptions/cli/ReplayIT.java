package com.example.subscriptions.cli;

import static com.example.subscriptions.it.KafkaProbe.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.faults.ConsumerGroups;
import com.example.subscriptions.faults.EventLog;
import com.example.subscriptions.faults.FaultChecks;
import com.example.subscriptions.it.KafkaProbe;
import com.example.subscriptions.it.ServiceFixture;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import jakarta.mail.MessagingException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code replay} against the real broker, Temporal service and an SMTP server: an hour of subscribes and
 * unsubscribes is applied, a replay is refused while the commands role runs, then, told to evict it, the group goes
 * back an hour and the role applies the hour again: every replayed command answers as a redelivery, no run starts or
 * ends, no email is sent; commands from before the hour are not read again.
 */
class ReplayIT {

    private record Sent(String commandId, String type, String email, Instant at) {}

    private final ServiceFixture fixture = new ServiceFixture();
    private final GreenMail smtp =
            new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

    @BeforeAll
    static void startBackends() {
        FaultChecks.startBackends();
    }

    @AfterEach
    void stop() {
        fixture.close();
        smtp.stop();
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void replayingAnHourOfCommandsStartsNoRunAndSendsNoEmail() throws Exception {
        smtp.start();
        fixture.start(Map.of(
                "roles", "worker,commands",
                "subscription.interval", "PT1H",
                "mail.sender", "smtp",
                "mail.host", "127.0.0.1",
                "mail.port", Integer.toString(smtp.getSmtp().getPort()),
                "mail.tls", "off",
                "mail.from", "news@example.com",
                "unsubscribe.secret", "replay-it-secret-0123456789abcdef0123"));
        Map<String, String> cli = fixture.values(Map.of());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Sent> before = new ArrayList<>();
        List<Sent> hour = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            before.add(new Sent("old-" + i, "subscribe", email("old-" + i), now.minus(Duration.ofHours(2))));
        }
        List<List<String>> patterns = List.of(
                List.of("subscribe"),
                List.of("subscribe", "unsubscribe"),
                List.of("subscribe", "unsubscribe", "subscribe"),
                List.of("unsubscribe"),
                List.of("subscribe", "subscribe"));
        int n = 0;
        for (int e = 0; e < 10; e++) {
            for (String type : patterns.get(e % patterns.size())) {
                hour.add(new Sent("hour-" + n, type, email("e" + e), now.minus(Duration.ofMinutes(59 - n))));
                n++;
            }
        }

        try (KafkaProbe kafka = new KafkaProbe();
                EventLog events = new EventLog(fixture.topics)) {
            for (Sent command : concat(before, hour)) {
                kafka.send(new ProducerRecord<>(
                        fixture.topic("commands"),
                        null,
                        command.at().toEpochMilli(),
                        bytes(command.email()),
                        bytes("{\"type\":\"" + command.type() + "\",\"email\":\"" + command.email()
                                + "\",\"commandId\":\"" + command.commandId() + "\"}")));
            }
            awaitEvents(events, concat(before, hour), 1);
            Map<String, WorkflowExecutionDescription> runs = awaitSettled(concat(before, hour));
            int emails = smtp.getReceivedMessages().length;
            long committed =
                    ConsumerGroups.committedTotal(fixture.values(Map.of()).get("commands.group-id"));

            String from = now.minus(Duration.ofHours(1)).toString();
            OperatorCli refused = OperatorCli.run(cli, "replay", "--role", "commands", "--from", from, "--execute");
            assertEquals(Cli.REFUSED, refused.exitCode(), refused.toString());
            assertTrue(refused.err().contains("active member"), refused.toString());
            assertEquals(committed, ConsumerGroups.committedTotal(cli.get("commands.group-id")), "nothing moved");

            OperatorCli dryRun =
                    OperatorCli.run(cli, "replay", "--role", "commands", "--from", from, "--evict-active-members");
            assertEquals(Cli.OK, dryRun.exitCode(), dryRun.toString());
            assertTrue(dryRun.out().contains(hour.size() + " records would be applied again"), dryRun.toString());

            OperatorCli moved = OperatorCli.run(
                    cli, "replay", "--role", "commands", "--from", from, "--execute", "--evict-active-members");
            assertEquals(Cli.OK, moved.exitCode(), moved.toString());

            awaitEvents(events, hour, 2);
            events.poll();
            for (Sent command : hour) {
                List<String> outcomes = events.outcomes(command.commandId());
                assertEquals(2, outcomes.size(), command + " " + outcomes);
                String again = outcomes.get(1);
                assertTrue(
                        again.equals("ALREADY_SUBSCRIBED") || again.equals("NOT_SUBSCRIBED"),
                        command + " replayed as " + outcomes);
            }
            for (Sent command : before) {
                assertEquals(1, events.outcomes(command.commandId()).size(), "before the hour: not replayed");
            }
            WorkflowClient temporal = fixture.client();
            runs.forEach((email, run) -> {
                WorkflowExecutionDescription now2 =
                        temporal.newUntypedWorkflowStub(email).describe();
                assertEquals(run.getExecution().getRunId(), now2.getExecution().getRunId(), email + ": a new run");
                assertEquals(run.getStatus(), now2.getStatus(), email);
            });
            assertEquals(emails, smtp.getReceivedMessages().length, "the replay sent emails");
        }
    }

    /** Until every subscribed email's latest run is cancelled, or running with its own welcome email delivered. */
    private Map<String, WorkflowExecutionDescription> awaitSettled(List<Sent> commands) {
        WorkflowClient temporal = fixture.client();
        Map<String, WorkflowExecutionDescription> runs = new LinkedHashMap<>();
        List<String> subscribed = commands.stream()
                .filter(c -> c.type().equals("subscribe"))
                .map(Sent::email)
                .distinct()
                .toList();
        FaultChecks.await(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            for (String email : subscribed) {
                if (runs.containsKey(email)) {
                    continue;
                }
                WorkflowExecutionDescription run =
                        temporal.newUntypedWorkflowStub(email).describe();
                WorkflowExecutionStatus status = run.getStatus();
                if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                        && !sentBy(run.getExecution().getRunId())) {
                    throw new AssertionError(email + ": the welcome of its run is not delivered yet");
                }
                if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                        && status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED) {
                    throw new AssertionError(email + " is " + status);
                }
                runs.put(email, run);
            }
        });
        return runs;
    }

    /** Whether an email of this run arrived: its Message-ID names the run. */
    private boolean sentBy(String runId) {
        return Arrays.stream(smtp.getReceivedMessages()).anyMatch(m -> {
            try {
                return m.getMessageID() != null && m.getMessageID().contains(runId);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void awaitEvents(EventLog events, List<Sent> commands, int each) {
        FaultChecks.await(Duration.ofSeconds(60)).untilAsserted(() -> {
            events.poll();
            List<String> missing = commands.stream()
                    .filter(c -> events.outcomes(c.commandId()).size() < each)
                    .map(Sent::commandId)
                    .toList();
            assertEquals(List.of(), missing, "commands with fewer than " + each + " events");
        });
    }

    private String email(String name) {
        return "replay-" + name + "-" + fixture.suffix + "@example.com";
    }

    private static List<Sent> concat(List<Sent> a, List<Sent> b) {
        List<Sent> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
