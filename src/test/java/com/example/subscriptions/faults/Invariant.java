package com.example.subscriptions.faults;

import static org.junit.jupiter.api.Assertions.fail;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowTargetOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What every fault test asserts at its end, for a list of commands produced keyed by email (each email's commands in
 * list order), whatever was redelivered:
 *
 * <ul>
 *   <li>every command has at least one event, and each is about that command; redeliveries add events only as
 *       {@code ALREADY_SUBSCRIBED} or {@code NOT_SUBSCRIBED}: a subscribe is {@code SUBSCRIBED} (an unsubscribe
 *       {@code UNSUBSCRIBE_REQUESTED}) at most once, and never when the log says a subscription was already open (was
 *       not open);</li>
 *   <li>each email's workflow is in the state its last command says: RUNNING after a subscribe, CANCELED after an
 *       unsubscribe (not found if it was never subscribed);</li>
 *   <li>with a {@link SentEmails} recorder: the email had exactly as many runs as its command history starts
 *       subscriptions, their lifetimes never overlap (at most one open run, the current one), every run sent one
 *       welcome (none if cancelled before its first workflow task), and every cancelled run exactly one goodbye (a
 *       running one none);</li>
 *   <li>every details request has a reply about the email it asked about.</li>
 * </ul>
 */
public final class Invariant {

    private Invariant() {}

    /** What one email's command history implies, applied once in log order. */
    private static final class Expected {
        final List<Command> commands = new ArrayList<>();
        final Map<String, String> firstOutcome = new HashMap<>();
        int runs;
        boolean subscribed;

        void add(Command command) {
            commands.add(command);
            String outcome;
            if (command.subscribe()) {
                outcome = subscribed ? "ALREADY_SUBSCRIBED" : "SUBSCRIBED";
                runs += subscribed ? 0 : 1;
                subscribed = true;
            } else {
                outcome = subscribed ? "UNSUBSCRIBE_REQUESTED" : "NOT_SUBSCRIBED";
                subscribed = false;
            }
            firstOutcome.put(command.commandId(), outcome);
        }

        WorkflowExecutionStatus finalStatus() {
            if (subscribed) {
                return WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
            }
            return runs > 0 ? WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED : null;
        }
    }

    /** Counts for a log line: events by outcome, commands with more than one event, runs, replies by status. */
    public record Summary(
            int commands,
            int events,
            int redelivered,
            Map<String, Integer> outcomes,
            int runs,
            int emailsSent,
            int requests,
            Map<String, Integer> replies) {
        @Override
        public String toString() {
            return commands + " commands, " + events + " events " + outcomes + ", " + redelivered
                    + " commands with more than one event, " + runs + " runs, " + emailsSent + " emails sent, "
                    + requests + " details requests answered " + replies;
        }
    }

    /**
     * Waits (up to {@code timeout}) until every email's workflow is in the state its last command says (and, with a
     * recorder, its running subscription has sent its welcome), then asserts the whole invariant (see the class
     * comment). Call it once every command has its events. {@code sent} may be null when the worker is not the
     * test's.
     */
    public static Summary assertInvariant(
            List<Command> commands, EventLog events, WorkflowClient client, SentEmails sent, Duration timeout) {
        return assertInvariant(commands, List.of(), events, client, sent, timeout);
    }

    /** As above, and every details request has a reply, and every reply is for the email asked about. */
    public static Summary assertInvariant(
            List<Command> commands,
            List<Traffic.Request> requests,
            EventLog events,
            WorkflowClient client,
            SentEmails sent,
            Duration timeout) {
        Map<String, Expected> expected = new LinkedHashMap<>();
        commands.forEach(
                c -> expected.computeIfAbsent(c.email(), e -> new Expected()).add(c));
        events.catchUp();

        // 1. Final states, awaited: cancellations finish (goodbye sent) after their command's event.
        Map<String, WorkflowExecutionDescription> current = new ConcurrentHashMap<>();
        List<String> waiting = new ArrayList<>(expected.keySet());
        Map<String, String> lastSeen = new HashMap<>();
        FaultChecks.await(timeout).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            waiting.removeIf(email -> {
                Expected want = expected.get(email);
                Optional<WorkflowExecutionDescription> found = describe(client, email, null);
                WorkflowExecutionStatus status =
                        found.map(WorkflowExecutionDescription::getStatus).orElse(null);
                lastSeen.put(email, String.valueOf(status));
                if (status != want.finalStatus()) {
                    return false;
                }
                if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                        && sent != null
                        && sent.to(email).stream()
                                .noneMatch(s -> s.runId()
                                        .equals(found.get().getExecution().getRunId()))) {
                    lastSeen.put(email, "RUNNING, no email sent yet");
                    return false;
                }
                found.ifPresent(d -> current.put(email, d));
                return true;
            });
            if (!waiting.isEmpty()) {
                fail(waiting.size() + " emails are not in the state their last command says, e.g. "
                        + waiting.stream()
                                .limit(5)
                                .map(e -> e + " " + expected.get(e).commands + " wants "
                                        + expected.get(e).finalStatus() + ", is " + lastSeen.get(e))
                                .collect(Collectors.joining("; ")));
            }
        });

        List<String> violations = new ArrayList<>();
        Map<String, Integer> outcomeCounts = new TreeMap<>();
        int redelivered = 0;

        // 2. Events: at least one per command; extra ones only as the harmless outcomes.
        Set<String> known = commands.stream().map(Command::commandId).collect(Collectors.toSet());
        events.commandIds().stream()
                .filter(id -> !known.contains(id))
                .forEach(id -> violations.add("event for a command never produced: " + id + " " + events.outcomes(id)));
        for (Command command : commands) {
            List<String> outcomes = events.outcomes(command.commandId());
            outcomes.forEach(o -> outcomeCounts.merge(o, 1, Integer::sum));
            redelivered += outcomes.size() > 1 ? 1 : 0;
            WorkflowExecutionDescription latest = current.get(command.email());
            String context = command.email() + " " + command + " (history " + expected.get(command.email()).commands
                    + "): events " + events.of(command.commandId())
                    + (latest == null
                            ? ""
                            : ", latest run " + latest.getExecution().getRunId().substring(0, 8) + " started "
                                    + latest.getStartTime())
                    + (sent == null
                            ? ""
                            : ", runs that sent emails "
                                    + sent.runs(command.email()).stream()
                                            .map(r -> r.substring(0, 8))
                                            .toList());
            if (outcomes.isEmpty()) {
                violations.add("no event: " + context);
                continue;
            }
            events.of(command.commandId()).stream()
                    .filter(e -> !command.email().equals(e.email())
                            || !command.type().equals(e.type()))
                    .findFirst()
                    .ifPresent(e -> violations.add("event for another command: " + context));
            if (command.subscribe()) {
                long started = outcomes.stream().filter("SUBSCRIBED"::equals).count();
                if (!outcomes.stream().allMatch(o -> o.equals("SUBSCRIBED") || o.equals("ALREADY_SUBSCRIBED"))) {
                    violations.add("subscribe with an outcome other than SUBSCRIBED/ALREADY_SUBSCRIBED: " + context);
                } else if (started > 1) {
                    violations.add("subscribe applied more than once (a redelivery started another run): " + context);
                } else if (started == 1
                        && expected.get(command.email())
                                .firstOutcome
                                .get(command.commandId())
                                .equals("ALREADY_SUBSCRIBED")) {
                    violations.add("subscribe started a run although, in log order, one was open then: " + context);
                }
            } else {
                long cancelled = outcomes.stream()
                        .filter("UNSUBSCRIBE_REQUESTED"::equals)
                        .count();
                if (!outcomes.stream().allMatch(o -> o.equals("UNSUBSCRIBE_REQUESTED") || o.equals("NOT_SUBSCRIBED"))) {
                    violations.add(
                            "unsubscribe with an outcome other than UNSUBSCRIBE_REQUESTED/NOT_SUBSCRIBED: " + context);
                } else if (cancelled > 1) {
                    violations.add("unsubscribe applied more than once: " + context);
                } else if (cancelled == 1
                        && expected.get(command.email())
                                .firstOutcome
                                .get(command.commandId())
                                .equals("NOT_SUBSCRIBED")) {
                    violations.add(
                            "unsubscribe cancelled a run although, in log order, none was open then: " + context);
                }
            }
        }

        // 3. Runs and emails: as many runs as the history starts, one at a time, one welcome each, one goodbye
        //    per cancelled run.
        int runs = 0;
        if (sent != null) {
            for (Map.Entry<String, Expected> entry : expected.entrySet()) {
                String email = entry.getKey();
                Expected want = entry.getValue();
                List<String> runIds = sent.runs(email);
                runs += runIds.size();
                String context = email + " (history " + want.commands + ", emails "
                        + sent.to(email).stream()
                                .map(s -> (s.goodbye()
                                                ? "goodbye"
                                                : s.welcome()
                                                        ? "welcome"
                                                        : "#" + s.details().count())
                                        + "@" + s.runId().substring(0, 8)
                                        + (s.attempt() > 1 ? "/attempt" + s.attempt() : ""))
                                .toList()
                        + ")";
                if (runIds.size() != want.runs) {
                    violations.add(runIds.size() + " workflow runs, the command history implies " + want.runs + ": "
                            + context);
                }
                List<WorkflowExecutionDescription> described = new ArrayList<>();
                for (String runId : runIds) {
                    Optional<WorkflowExecutionDescription> run = describe(client, email, runId);
                    if (run.isEmpty()) {
                        violations.add("run " + runId + " that sent emails is not found: " + context);
                        continue;
                    }
                    described.add(run.get());
                    List<SentEmails.Sent> ofRun = sent.to(email).stream()
                            .filter(s -> s.runId().equals(runId))
                            .toList();
                    long welcomes =
                            ofRun.stream().filter(SentEmails.Sent::welcome).count();
                    long goodbyes =
                            ofRun.stream().filter(SentEmails.Sent::goodbye).count();
                    WorkflowExecutionStatus status = run.get().getStatus();
                    // A run cancelled before its first workflow task says goodbye without a welcome, as the
                    // tutorial's does: its cancellation interrupts the first send_email before it is sent.
                    boolean cancelledBeforeWelcome =
                            welcomes == 0 && status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED;
                    if (welcomes != 1 && !cancelledBeforeWelcome) {
                        violations.add("run " + runId.substring(0, 8) + " sent " + welcomes + " welcome emails: "
                                + context + ", history " + history(client, email, runId));
                    }
                    if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED && goodbyes != 1) {
                        violations.add("cancelled run " + runId.substring(0, 8) + " sent " + goodbyes + " goodbyes: "
                                + context);
                    } else if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
                        if (goodbyes != 0) {
                            violations.add("running run " + runId.substring(0, 8) + " sent a goodbye: " + context);
                        }
                        WorkflowExecutionDescription now = current.get(email);
                        if (now == null || !now.getExecution().getRunId().equals(runId)) {
                            violations.add("run " + runId.substring(0, 8)
                                    + " is open but is not the email's current run: " + context);
                        }
                    } else if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED) {
                        violations.add("run " + runId.substring(0, 8) + " ended " + status + ": " + context);
                    }
                }
                described.sort(Comparator.comparing(WorkflowExecutionDescription::getStartTime));
                for (int i = 1; i < described.size(); i++) {
                    Instant closed = described.get(i - 1).getCloseTime();
                    if (closed == null || closed.isAfter(described.get(i).getStartTime())) {
                        violations.add("two runs open at once ("
                                + described.get(i - 1).getExecution().getRunId().substring(0, 8) + " closed " + closed
                                + ", the next started "
                                + described.get(i).getStartTime() + "): " + context);
                    }
                }
            }
        }

        // 4. Replies: every request answered, about the email it asked about.
        Map<String, Integer> replyCounts = new TreeMap<>();
        for (Traffic.Request request : requests) {
            List<EventLog.Reply> replies = events.replies(request.requestId());
            if (replies.isEmpty()) {
                violations.add("no reply: request " + request.requestId() + " for " + request.email());
                continue;
            }
            replyCounts.merge(replies.get(0).status(), 1, Integer::sum);
            if (replies.stream().anyMatch(r -> !request.email().equals(r.email()))) {
                violations.add("reply about another email: request " + request.requestId() + " " + replies);
            }
        }

        if (!violations.isEmpty()) {
            Map<String, Long> kinds = violations.stream()
                    .collect(Collectors.groupingBy(
                            v -> v.substring(0, v.indexOf(':')).replaceAll("[0-9a-f]{8}|\\d+", "N"),
                            LinkedHashMap::new,
                            Collectors.counting()));
            fail(violations.size() + " invariant violations " + kinds + ":\n  "
                    + violations.stream().limit(15).collect(Collectors.joining("\n  ")));
        }
        return new Summary(
                commands.size(),
                events.size(),
                redelivered,
                outcomeCounts,
                runs,
                sent == null ? 0 : sent.total(),
                requests.size(),
                replyCounts);
    }

    /** A run's history in short: event types without their common prefix. */
    private static String history(WorkflowClient client, String email, String runId) {
        try {
            return client.fetchHistory(email, runId).getEvents().stream()
                    .map(e -> e.getEventType().name().replace("EVENT_TYPE_", ""))
                    .toList()
                    .toString();
        } catch (RuntimeException e) {
            return "(unavailable: " + e + ")";
        }
    }

    private static Optional<WorkflowExecutionDescription> describe(WorkflowClient client, String email, String runId) {
        try {
            return Optional.of(client.newUntypedWorkflowStub(
                            runId == null
                                    ? WorkflowTargetOptions.newBuilder()
                                            .setWorkflowId(email)
                                            .build()
                                    : WorkflowTargetOptions.newBuilder()
                                            .setWorkflowId(email)
                                            .setRunId(runId)
                                            .build())
                    .describe());
        } catch (WorkflowNotFoundException e) {
            return Optional.empty();
        }
    }
}
