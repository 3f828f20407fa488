package com.example.subscriptions.mail;

import com.example.subscriptions.workflow.DeliveryFailedException;
import com.example.subscriptions.workflow.MessageRefusedException;
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
 * Sorts a failed SMTP attempt by the reply the server gave and the phase it gave it in ({@link DeliveryVerdict}): the
 * address gone ends the subscription ({@link RecipientRejectedException}), the message refused for good is retried a
 * bounded number of times ({@link MessageRefusedException}), anything else is retried for as long as it takes
 * ({@link DeliveryFailedException}): the network, a 4xx reply, and every refusal that is about us rather than the
 * subscriber (the connection, AUTH, MAIL FROM, a policy refusal at RCPT such as "relaying denied").
 */
final class SmtpFailures {

    /** The server's reply that failed the attempt, and the phase it came in. */
    record Answer(SmtpPhase phase, SmtpReply reply, String text) {}

    private SmtpFailures() {}

    /** A {@link RecipientRejectedException}, a {@link MessageRefusedException} or a {@link DeliveryFailedException}. */
    static RuntimeException classify(MessagingException failure) {
        Optional<Answer> answer = answer(failure);
        DeliveryVerdict verdict =
                answer.map(a -> DeliveryVerdict.of(a.phase(), a.reply())).orElse(DeliveryVerdict.RETRY);
        return switch (verdict) {
            case ADDRESS_GONE -> new RecipientRejectedException(answer.get().text());
            case MESSAGE_REFUSED -> new MessageRefusedException(answer.get().text());
            case RETRY -> new DeliveryFailedException(describe(failure));
            case THROTTLED -> DeliveryFailedException.throttled(describe(failure));
        };
    }

    /**
     * The server's reply that failed the attempt, if one did: a refusal of the recipient anywhere in the chain first
     * (Angus wraps each in the failure of the whole send), then of the sender, then of the message.
     */
    static Optional<Answer> answer(MessagingException failure) {
        Optional<Answer> sender = Optional.empty();
        Optional<Answer> message = Optional.empty();
        Map<Exception, Boolean> seen = new IdentityHashMap<>();
        for (Exception e = failure; e != null && seen.put(e, true) == null; e = next(e)) {
            if (e instanceof SMTPAddressFailedException refused) {
                return Optional.of(answer(SmtpPhase.RCPT_TO, refused.getReturnCode(), refused.getMessage()));
            }
            if (e instanceof SMTPSenderFailedException refused && sender.isEmpty()) {
                sender = Optional.of(answer(SmtpPhase.MAIL_FROM, refused.getReturnCode(), refused.getMessage()));
            } else if (e instanceof SMTPSendFailedException refused
                    && refused.getReturnCode() > 0
                    && message.isEmpty()) {
                message = Optional.of(answer(SmtpPhase.MESSAGE, refused.getReturnCode(), refused.getMessage()));
            }
        }
        return sender.isPresent() ? sender : message;
    }

    private static Answer answer(SmtpPhase phase, int code, String response) {
        return new Answer(phase, SmtpReply.of(code, response), oneLine(response));
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
                return "the server refused the recipient at RCPT TO: " + oneLine(refused.getMessage());
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
