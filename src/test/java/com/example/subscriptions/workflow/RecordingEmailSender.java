package com.example.subscriptions.workflow;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Remembers every email delivered and every attempt's delivery id; can hold the loop's emails (not the goodbye) until
 * released, refuse an address from a given email on, and fail attempts transiently.
 */
final class RecordingEmailSender implements EmailSender {

    static final String REFUSAL = "550 5.1.1 <address>: Recipient address rejected: User unknown";
    static final String MESSAGE_REFUSAL = "554 5.7.1 Message rejected as spam";

    private final List<EmailDetails> sent = new CopyOnWriteArrayList<>();
    private final List<DeliveryId> attempts = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> refusedFromCount = new ConcurrentHashMap<>();
    private final Map<String, Integer> messageRefusalsLeft = new ConcurrentHashMap<>();
    private final Semaphore loopEmailsStarted = new Semaphore(0);
    private volatile CountDownLatch loopEmailGate = new CountDownLatch(0);
    private volatile int transientFailuresLeft;

    @Override
    public void send(EmailDetails details, DeliveryId delivery) {
        attempts.add(delivery);
        if (details.subscribed()) {
            loopEmailsStarted.release();
            try {
                loopEmailGate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (transientFailuresLeft > 0) {
                transientFailuresLeft--;
                throw new IllegalStateException("connection refused");
            }
        }
        if (messageRefusalsLeft.computeIfPresent(details.email(), (email, left) -> left > 0 ? left - 1 : null)
                != null) {
            throw new MessageRefusedException(MESSAGE_REFUSAL);
        }
        Integer refusedFrom = refusedFromCount.get(details.email());
        if (refusedFrom != null && (details.count() >= refusedFrom || !details.subscribed())) {
            throw new RecipientRejectedException(REFUSAL);
        }
        sent.add(details);
    }

    List<EmailDetails> sent() {
        return List.copyOf(sent);
    }

    List<EmailDetails> sentTo(String email) {
        return sent.stream().filter(d -> d.email().equals(email)).toList();
    }

    List<DeliveryId> attempts() {
        return List.copyOf(attempts);
    }

    /** Refuses the address's email number {@code count} and every later one, the goodbye included. */
    void refuseFrom(String email, int count) {
        refusedFromCount.put(email, count);
    }

    /** The next {@code attempts} attempts to send to the address are refused for good, the message not the address. */
    void refuseMessages(String email, int attempts) {
        messageRefusalsLeft.put(email, attempts);
    }

    /** The next {@code failures} attempts fail as an unreachable server would. */
    synchronized void failTransiently(int failures) {
        transientFailuresLeft = failures;
    }

    void holdLoopEmails() {
        loopEmailGate = new CountDownLatch(1);
    }

    void releaseLoopEmails() {
        loopEmailGate.countDown();
    }

    boolean awaitLoopEmailStarted(long timeout, TimeUnit unit) throws InterruptedException {
        return loopEmailsStarted.tryAcquire(timeout, unit);
    }

    void clear() {
        sent.clear();
        loopEmailsStarted.drainPermits();
    }
}
