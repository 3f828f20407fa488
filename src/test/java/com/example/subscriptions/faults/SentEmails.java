package com.example.subscriptions.faults;

import com.example.subscriptions.workflow.DeliveryId;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.EmailSender;
import io.temporal.activity.Activity;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link EmailSender} for the worker that remembers every email with the workflow run that sent it. */
public final class SentEmails implements EmailSender {

    /** One email: the run that sent it, the activity attempt, and what was sent. */
    public record Sent(String runId, int attempt, EmailDetails details) {
        boolean welcome() {
            return details.subscribed() && details.count() == 1;
        }

        boolean goodbye() {
            return !details.subscribed();
        }
    }

    private final Map<String, List<Sent>> byEmail = new ConcurrentHashMap<>();

    @Override
    public void send(EmailDetails details, DeliveryId delivery) {
        int attempt = Activity.getExecutionContext().getInfo().getAttempt();
        byEmail.computeIfAbsent(delivery.workflowId(), k -> new CopyOnWriteArrayList<>())
                .add(new Sent(delivery.runId(), attempt, details));
    }

    public List<Sent> to(String email) {
        return List.copyOf(byEmail.getOrDefault(email, List.of()));
    }

    /** Every run that sent this email something, in the order of their first email. */
    public List<String> runs(String email) {
        return to(email).stream().map(Sent::runId).distinct().toList();
    }

    public int total() {
        return byEmail.values().stream().mapToInt(List::size).sum();
    }
}
