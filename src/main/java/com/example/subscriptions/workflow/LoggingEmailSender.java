package com.example.subscriptions.workflow;

import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The tutorial's simulated sender: one log line per email. */
public class LoggingEmailSender implements EmailSender {

    private static final Logger log = LoggerFactory.getLogger(LoggingEmailSender.class);

    private final UnaryOperator<String> emailMask;

    public LoggingEmailSender(UnaryOperator<String> emailMask) {
        this.emailMask = emailMask;
    }

    @Override
    public void send(EmailDetails details, DeliveryId delivery) {
        log.info(
                "Sending email to {} with message: {}, count: {}",
                emailMask.apply(details.email()),
                details.message(),
                details.count());
    }
}
