package com.example.subscriptions.mail;

import com.example.subscriptions.workflow.DeliveryId;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Optional;

/**
 * Turns a rendered email into the MIME message sent: From, optional Reply-To, To, Subject, Date, a {@code Message-ID}
 * that is the same on every attempt of one email, and the RFC 8058 one-click unsubscribe headers when there is
 * something to unsubscribe from.
 */
final class MessageComposer {

    static final String LIST_UNSUBSCRIBE = "List-Unsubscribe";
    static final String LIST_UNSUBSCRIBE_POST = "List-Unsubscribe-Post";
    static final String ONE_CLICK = "List-Unsubscribe=One-Click";

    private final Session session;
    private final InternetAddress from;
    private final Optional<InternetAddress> replyTo;

    MessageComposer(Session session, InternetAddress from, Optional<InternetAddress> replyTo) {
        this.session = session;
        this.from = from;
        this.replyTo = replyTo;
    }

    /**
     * {@code <runId.activityId@domain-of-From>}: a retried attempt (after a timeout or a worker crash) of one email has
     * the same id, so a duplicate can be told apart; every other email, the goodbye and the next run's included, has
     * another.
     */
    static String messageId(DeliveryId delivery, InternetAddress from) {
        String address = from.getAddress();
        return "<" + atom(delivery.runId()) + "." + atom(delivery.activityId()) + "@"
                + address.substring(address.lastIndexOf('@') + 1) + ">";
    }

    MimeMessage compose(InternetAddress to, RenderedEmail email, String messageId, Optional<URI> unsubscribe)
            throws MessagingException {
        MimeMessage message = new StableIdMessage(session, messageId);
        message.setFrom(from);
        if (replyTo.isPresent()) {
            message.setReplyTo(new InternetAddress[] {replyTo.get()});
        }
        message.setRecipient(MimeMessage.RecipientType.TO, to);
        message.setSubject(email.subject(), StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        if (unsubscribe.isPresent()) {
            message.setHeader(LIST_UNSUBSCRIBE, "<" + unsubscribe.get() + ">");
            message.setHeader(LIST_UNSUBSCRIBE_POST, ONE_CLICK);
        }
        if (email.html().isPresent()) {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(email.text(), StandardCharsets.UTF_8.name(), "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(email.html().get(), StandardCharsets.UTF_8.name(), "html");
            // Least preferred first: clients that show HTML take the last part they can.
            message.setContent(new MimeMultipart("alternative", text, html));
        } else {
            message.setText(email.text(), StandardCharsets.UTF_8.name(), "plain");
        }
        message.saveChanges();
        return message;
    }

    /** Keeps characters allowed unquoted in a Message-ID (RFC 5322 dot-atom); Temporal's ids use only these. */
    private static String atom(String id) {
        return id.replaceAll("[^A-Za-z0-9!#$%&'*+/=?^_`{|}~-]", "-");
    }

    /** Jakarta Mail gives every message a random Message-ID when it is saved; this one keeps ours. */
    private static final class StableIdMessage extends MimeMessage {

        private final String messageId;

        StableIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
