package com.example.subscriptions.mail;

import com.example.subscriptions.workflow.DeliveryFailedException;
import com.example.subscriptions.workflow.RecipientRejectedException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailConnectException;

/**
 * Sorts a failed SMTP attempt: the recipient refused for good ends the subscription; anything else is retried.
 *
 * <p>Refused for good is a 5xx reply to {@code RCPT TO} for the address. 552 is the exception: RFC 5321 (4.5.3.1.10)
 * asks clients to treat it at RCPT as the temporary 452, and it usually means a full mailbox. Everything else may
 * pass, or is a fault of ours that a fix of the settings mends (MAIL FROM or the message refused, authentication),
 * so it is retried with backoff rather than unsubscribing anybody: connection refused or timed out, a 4xx reply
 * anywhere, 535 at AUTH, 5xx at MAIL FROM or DATA.
 */
final class SmtpFailures {

    /**
     * An enhanced status of class 5.7 (RFC 3463: security or policy), such as "550 5.7.1 Relaying denied" at RCPT for
     * a client that did not authenticate: a fault of our settings, not of the address, so it must not end the
     * subscriptions it would end one by one.
     */
    private static final java.util.regex.Pattern POLICY = java.util.regex.Pattern.compile("\\b5\\.7\\.\\d{1,3}\\b");

    private SmtpFailures() {}

    /** A {@link RecipientRejectedException} or a {@link DeliveryFailedException}. */
    static RuntimeException classify(MessagingException failure) {
        Optional<String> refusal = recipientRefusal(failure);
        return refusal.isPresent()
                ? new RecipientRejectedException(refusal.get())
                : new DeliveryFailedException(describe(failure));
    }

    /** The server's reply if some exception in the chain is a permanent refusal of the recipient. */
    static Optional<String> recipientRefusal(MessagingException failure) {
        Map<Exception, Boolean> seen = new IdentityHashMap<>();
        for (Exception e = failure; e != null && seen.put(e, true) == null; e = next(e)) {
            if (e instanceof SMTPAddressFailedException refused
                    && refused.getReturnCode() >= 500
                    && refused.getReturnCode() <= 599
                    && refused.getReturnCode() != 552
                    && !POLICY.matcher(String.valueOf(refused.getMessage())).find()) {
                return Optional.of(oneLine(refused.getMessage()));
            }
        }
        return Optional.empty();
    }

    /** One line for the log: what failed and what the server or the network said; never credentials. */
    static String describe(MessagingException failure) {
        if (failure instanceof MailConnectException connect) {
            return "cannot connect to " + connect.getHost() + ":" + connect.getPort() + ": "
                    + oneLine(String.valueOf(rootMessage(connect)));
        }
        if (failure instanceof AuthenticationFailedException) {
            return "authentication failed: " + oneLine(failure.getMessage());
        }
        if (failure instanceof SMTPSenderFailedException sender) {
            return "the server refused the sender at MAIL FROM: " + oneLine(sender.getMessage());
        }
        Map<Exception, Boolean> seen = new IdentityHashMap<>();
        for (Exception e = failure; e != null && seen.put(e, true) == null; e = next(e)) {
            if (e instanceof SMTPAddressFailedException refused) {
                return "the server refused the recipient at RCPT TO for now: " + oneLine(refused.getMessage());
            }
            if (e instanceof SMTPSendFailedException sendFailed && sendFailed.getReturnCode() > 0) {
                return "the server refused the message: " + oneLine(sendFailed.getMessage());
            }
        }
        String root = rootMessage(failure);
        String message = oneLine(String.valueOf(failure.getMessage()));
        return root == null || message.contains(root) ? message : message + ": " + oneLine(root);
    }

    private static Exception next(Exception e) {
        if (e instanceof MessagingException messaging && messaging.getNextException() != null) {
            return messaging.getNextException();
        }
        return e.getCause() instanceof Exception cause ? cause : null;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? null : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
