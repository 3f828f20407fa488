package com.example.subscriptions.faults;

import com.example.subscriptions.workflow.DeliveryId;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.EmailSender;
import io.temporal.activity.Activity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link EmailSender} for the worker that remembers every email with the workflow run that sent it, and can hold
 * the goodbyes back, so that cancelled subscriptions stay open saying goodbye.
 */
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
    private volatile CountDownLatch goodbyeGate = new CountDownLatch(0);
    private volatile Duration longestHold = Duration.ZERO;
    private final AtomicInteger goodbyesHeld = new AtomicInteger();
    private final AtomicBoolean holdRanOut = new AtomicBoolean();

    @Override
    public void send(EmailDetails details, DeliveryId delivery) {
        if (!details.subscribed()) {
            goodbyesHeld.incrementAndGet();
            try {
                if (!goodbyeGate.await(longestHold.toMillis(), TimeUnit.MILLISECONDS)) {
                    holdRanOut.set(true);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                goodbyesHeld.decrementAndGet();
            }
        }
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

    /**
     * From now on goodbyes wait until {@link #releaseGoodbyes()}, but never longer than {@code longest}: keep it below
     * the activity's timeout, or a goodbye would be sent twice.
     */
    public void holdGoodbyes(Duration longest) {
        longestHold = longest;
        goodbyeGate = new CountDownLatch(1);
    }

    /** How many goodbyes wait right now. */
    public int goodbyesHeld() {
        return goodbyesHeld.get();
    }

    /** Lets the goodbyes go; false if one had stopped waiting on its own before, its hold having run out. */
    public boolean releaseGoodbyes() {
        goodbyeGate.countDown();
        return !holdRanOut.get();
    }
}
