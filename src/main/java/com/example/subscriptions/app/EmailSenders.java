package com.example.subscriptions.app;

import com.example.subscriptions.config.Settings;
import com.example.subscriptions.mail.MailTemplates;
import com.example.subscriptions.mail.SmtpEmailSender;
import com.example.subscriptions.mail.UnsubscribeLinks;
import com.example.subscriptions.workflow.EmailSender;
import com.example.subscriptions.workflow.LoggingEmailSender;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link EmailSender} that {@code mail.sender} names. */
final class EmailSenders {

    private static final Logger log = LoggerFactory.getLogger(EmailSenders.class);

    private EmailSenders() {}

    /** For SMTP, loads and test-renders the templates: a broken one stops the start here. */
    static EmailSender fromSettings(Settings settings, UnsubscribeLinks links, UnaryOperator<String> emailMask) {
        return switch (settings.mail().sender()) {
            case LOG -> new LoggingEmailSender(emailMask);
            case SMTP -> {
                SmtpEmailSender sender = new SmtpEmailSender(
                        settings.mail(), MailTemplates.load(settings.mail().templatesDir()), links, emailMask);
                log.info("Emails go through {}", sender.describe());
                yield sender;
            }
        };
    }
}
