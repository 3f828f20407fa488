package com.example.subscriptions.workflow;

/**
 * Delivers one email of a subscription: {@link LoggingEmailSender} for development, the SMTP sender in production.
 */
@FunctionalInterface
public interface EmailSender {

    /**
     * Delivers the email {@code details} describe. Throws {@link RecipientRejectedException} when the address is refused
     * for good, which ends the subscription; {@link MessageRefusedException} when this email is refused for good, which
     * is retried a bounded number of times and then given up; any other exception is transient, and Temporal retries the
     * email with backoff for as long as it takes.
     *
     * @param delivery the same on every attempt of this one email, and different for every other email
     */
    void send(EmailDetails details, DeliveryId delivery);
}
