package com.example.subscriptions.mail;

import com.example.subscriptions.config.ConfigException;
import com.example.subscriptions.config.MailSettings;
import com.example.subscriptions.workflow.DeliveryId;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.EmailSender;
import com.example.subscriptions.workflow.MessageRefusedException;
import com.example.subscriptions.workflow.RecipientRejectedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each email of a subscription through an SMTP server, one connection per email: rendered from the
 * templates, with a stable Message-ID and the one-click unsubscribe headers. A permanent refusal of the address
 * becomes {@link RecipientRejectedException}, of the message {@link MessageRefusedException}; any other failure is
 * logged in one line and retried by Temporal.
 */
public final class SmtpEmailSender implements EmailSender {

    private static final Logger log = LoggerFactory.getLogger(SmtpEmailSender.class);

    private final MailSettings settings;
    private final Session session;
    private final MailTemplates templates;
    private final UnsubscribeLinks links;
    private final InternetAddress from;
    private final MessageComposer composer;
    private final UnaryOperator<String> emailMask;

    public SmtpEmailSender(
            MailSettings settings, MailTemplates templates, UnsubscribeLinks links, UnaryOperator<String> emailMask) {
        this.settings = settings;
        this.session = SmtpSessions.of(settings);
        this.templates = templates;
        this.links = links;
        this.from = address(
                "mail.from",
                settings.from().orElseThrow(() -> new ConfigException("Setting 'mail.from' must not be empty")));
        this.composer = new MessageComposer(
                session, from, settings.replyTo().map(replyTo -> address("mail.reply-to", replyTo)));
        this.emailMask = emailMask;
    }

    @Override
    public void send(EmailDetails details, DeliveryId delivery) {
        EmailKind kind = EmailKind.of(details);
        String to = emailMask.apply(details.email());
        URI link = links.linkFor(details.email());
        RenderedEmail email = templates.render(
                kind,
                new TemplateModel(
                        details.email(),
                        details.count(),
                        details.message(),
                        link.toString(),
                        links.confirmLinkFor(details.email()).toString()));
        String messageId = MessageComposer.messageId(delivery, from);
        // The goodbye confirms the unsubscription: there is nothing left to unsubscribe from.
        Optional<URI> unsubscribe = kind == EmailKind.GOODBYE ? Optional.empty() : Optional.of(link);
        try {
            MimeMessage message = composer.compose(recipient(details.email()), email, messageId, unsubscribe);
            try (Transport transport = session.getTransport()) {
                transport.connect(
                        settings.host().orElseThrow(),
                        settings.port(),
                        settings.username().orElse(null),
                        settings.password().orElse(null));
                transport.sendMessage(message, message.getAllRecipients());
            }
        } catch (MessagingException e) {
            RuntimeException classified = SmtpFailures.classify(e);
            if (classified instanceof RecipientRejectedException) {
                log.warn(
                        "{} email #{} to {} refused for good, the subscription ends: {}",
                        kind.templateName(),
                        details.count(),
                        to,
                        classified.getMessage());
            } else if (classified instanceof MessageRefusedException) {
                // Retried a few times, then given up with one WARN line: not one per attempt.
                log.info(
                        "{} email #{} to {} refused for good, the message not the address: {}",
                        kind.templateName(),
                        details.count(),
                        to,
                        classified.getMessage());
            } else {
                log.warn(
                        "{} email #{} to {} not sent, will retry: {}",
                        kind.templateName(),
                        details.count(),
                        to,
                        classified.getMessage());
            }
            throw classified;
        }
        log.info("Sent {} email #{} to {} {}", kind.templateName(), details.count(), to, messageId);
    }

    private static InternetAddress recipient(String email) {
        try {
            return new InternetAddress(email, true);
        } catch (AddressException e) {
            // Retrying cannot make it an address; no server will ever take it.
            throw new RecipientRejectedException("not an address mail can be sent to: " + e.getMessage());
        }
    }

    private static InternetAddress address(String key, String value) {
        try {
            InternetAddress address = new InternetAddress(value, true);
            if (!address.getAddress().contains("@")) {
                throw new AddressException("no domain", value);
            }
            return address;
        } catch (AddressException e) {
            throw new ConfigException(
                    "Setting '" + key + "' is not an email address: '" + value + "' (" + e.getMessage() + ")");
        }
    }

    /** For the start log line: where and how emails go, never the password. */
    public String describe() {
        return "SMTP " + settings.host().orElseThrow() + ":" + settings.port() + " (tls "
                + settings.tls().setting()
                + (settings.username().isPresent()
                        ? ", AUTH as " + settings.username().get()
                        : ", no AUTH")
                + ") from " + from.getAddress() + ", templates from " + templates.origin();
    }
}
