package com.example.subscriptions.workflow;

/** Delivers one email. Replace {@link LoggingEmailSender} with a real mailer; throw to have Temporal retry. */
@FunctionalInterface
public interface EmailSender {
    void send(EmailDetails details);
}
