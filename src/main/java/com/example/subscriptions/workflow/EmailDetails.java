package com.example.subscriptions.workflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Locale;

/**
 * The state of one subscription, answered by the {@code details} query and handed to {@code send_email}. Field names
 * match the tutorial's {@code EmailDetails} data class.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EmailDetails(String email, String message, int count, boolean subscribed) {

    public static final String WELCOME = "Welcome to our Subscription Workflow!";
    public static final String THANK_YOU = "Thank you for staying subscribed!";
    public static final String GOODBYE = "Sorry to see you go";
    /** Starts the message of a subscription that ended because the subscriber's mail server refused the address. */
    public static final String REJECTED = "Unsubscribed because delivery failed permanently: ";
    /** Starts the message of a subscription ended because its last emails were all refused for good. */
    public static final String GIVEN_UP_IN_A_ROW = "Unsubscribed because the last %d emails were refused for good: ";
    /** The message of a subscription ended by a bounce reported for its address. */
    public static final String BOUNCED = "Unsubscribed because mail to this address bounced";
    /** The message of a subscription ended by a complaint of its subscriber. */
    public static final String COMPLAINED = "Unsubscribed because the subscriber reported an email as spam";

    /**
     * The message of a subscription waiting for its subscriber to confirm (double opt-in), and of the confirmation
     * email: {@code subscribed} false, no email counted.
     */
    public static final String AWAITING_CONFIRMATION = "Please confirm your subscription";
    /** The message of a subscription that ended because its subscriber did not confirm in time. */
    public static final String NOT_CONFIRMED = "Ended because the subscription was not confirmed in time";
    /** The message of a subscription cancelled before its subscriber confirmed it: no goodbye is sent. */
    public static final String CANCELLED_UNCONFIRMED = "Unsubscribed before the subscription was confirmed";

    /** Waiting for the subscriber's confirmation; nothing but the confirmation email is sent. */
    static EmailDetails awaitingConfirmation(String email) {
        return new EmailDetails(email, AWAITING_CONFIRMATION, 0, false);
    }

    /** Whether this subscription waits for its subscriber's confirmation (the details of a pending run). */
    public boolean pending() {
        return !subscribed && count == 0 && AWAITING_CONFIRMATION.equals(message);
    }

    /** Ended before confirmation (expired, cancelled, the confirmation refused): nothing was or will be sent. */
    EmailDetails endedUnconfirmed(String why) {
        return new EmailDetails(email, why, 0, false);
    }

    /** The state after {@code count} emails, as the tutorial's loop leaves it. */
    static EmailDetails afterEmails(String email, int count) {
        return new EmailDetails(email, count > 1 ? THANK_YOU : WELCOME, count, true);
    }

    EmailDetails nextEmail() {
        return afterEmails(email, count + 1);
    }

    EmailDetails unsubscribed() {
        return new EmailDetails(email, GOODBYE, count, false);
    }

    /** Ended by a bounce or complaint: no goodbye, the count unchanged. */
    EmailDetails suppressed(String message) {
        return new EmailDetails(email, message, count, false);
    }

    /** After the email this describes was given up: not sent; the next one takes its number. */
    EmailDetails givenUp() {
        return afterEmails(email, count - 1);
    }

    /** After {@code emails} emails in a row were given up, the last of them this one: none will be sent. */
    EmailDetails givenUpInARow(int emails, String serverReply) {
        return new EmailDetails(
                email, String.format(Locale.ROOT, GIVEN_UP_IN_A_ROW, emails) + serverReply, count - 1, false);
    }

    /** After the email this describes was refused for good: it was not sent, and none will be. */
    EmailDetails rejected(String serverReply) {
        return new EmailDetails(email, REJECTED + serverReply, count - 1, false);
    }
}
