package com.example.subscriptions.workflow;

/**
 * What the worker tells the rest of the service about an email beyond sending it: an address the mail server says is
 * gone (to be suppressed like any bounce), and an email it gave up. Each call returns once the report is recorded for
 * good, and throws if it could not be: the attempt then fails and is retried, so that no report is lost.
 */
public interface DeliveryReports {

    /** No reports: the log sender and tests. */
    DeliveryReports NONE = new DeliveryReports() {
        @Override
        public void addressGone(EmailDetails email, String reply, DeliveryId delivery) {}

        @Override
        public void emailGivenUp(EmailDetails email, String reply, DeliveryId delivery, int attempts) {}
    };

    /** The server refused the address for good (a bounce the worker learnt itself). */
    void addressGone(EmailDetails email, String reply, DeliveryId delivery);

    /** The server refused this email for good on each of {@code attempts} attempts: it is given up. */
    void emailGivenUp(EmailDetails email, String reply, DeliveryId delivery, int attempts);

    /** The server throttled this attempt (over a rate or quota); it is retried with growing backoff. Counted only. */
    default void throttled() {}
}
