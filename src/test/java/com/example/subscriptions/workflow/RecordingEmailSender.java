package com.example.subscriptions.workflow;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Remembers every email sent; can hold the loop's emails (not the goodbye) until released. */
final class RecordingEmailSender implements EmailSender {

    private final List<EmailDetails> sent = new CopyOnWriteArrayList<>();
    private final Semaphore loopEmailsStarted = new Semaphore(0);
    private volatile CountDownLatch loopEmailGate = new CountDownLatch(0);

    @Override
    public void send(EmailDetails details) {
        if (details.subscribed()) {
            loopEmailsStarted.release();
            try {
                loopEmailGate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sent.add(details);
    }

    List<EmailDetails> sent() {
        return List.copyOf(sent);
    }

    List<EmailDetails> sentTo(String email) {
        return sent.stream().filter(d -> d.email().equals(email)).toList();
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
