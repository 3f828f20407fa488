package com.example.subscriptions.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.workflow.DeliveryFailedException;
import com.example.subscriptions.workflow.RecipientRejectedException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.eclipse.angus.mail.util.SocketConnectException;
import org.junit.jupiter.api.Test;

/** The failures Angus Mail reports, as its SMTP transport builds them, sorted into their fates. */
class SmtpFailuresTest {

    private static final InternetAddress BOB = address("bob@example.com");

    private static InternetAddress address(String text) {
        try {
            return new InternetAddress(text);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What SMTPTransport throws when RCPT TO is answered with {@code code}. */
    private static SendFailedException rcptAnswered(int code, String reply) {
        return new SendFailedException(
                "Invalid Addresses",
                new SMTPAddressFailedException(BOB, "RCPT TO:<bob@example.com>", code, reply + "\n"));
    }

    @Test
    void aPermanentRefusalOfTheRecipientEndsTheSubscriptionWithTheServersReply() {
        String reply = "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown";

        RuntimeException fate = SmtpFailures.classify(rcptAnswered(550, reply));

        assertEquals(
                reply, assertInstanceOf(RecipientRejectedException.class, fate).getMessage());
        assertInstanceOf(RecipientRejectedException.class, SmtpFailures.classify(rcptAnswered(553, "553 no")));
    }

    @Test
    void aTemporaryRefusalOrAFullMailboxIsRetried() {
        DeliveryFailedException greylisted = assertInstanceOf(
                DeliveryFailedException.class,
                SmtpFailures.classify(rcptAnswered(450, "450 4.2.0 Greylisted, try again later")));
        assertTrue(greylisted.getMessage().contains("450 4.2.0 Greylisted"), greylisted.getMessage());
        assertInstanceOf(
                DeliveryFailedException.class, SmtpFailures.classify(rcptAnswered(552, "552 5.2.2 Mailbox full")));
    }

    @Test
    void aRefusalForSecurityOrPolicyIsAFaultOfOurSettingsAndIsRetried() {
        for (String reply : new String[] {
            "550 5.7.1 <bob@example.com>: Relay access denied",
            "554 5.7.1 Relaying denied: authenticate first",
            "530 5.7.0 Authentication required"
        }) {
            assertInstanceOf(
                    DeliveryFailedException.class,
                    SmtpFailures.classify(rcptAnswered(Integer.parseInt(reply.substring(0, 3)), reply)),
                    reply);
        }
    }

    @Test
    void connectionTimeoutAuthenticationSenderAndMessageFailuresAreRetried() {
        MessagingException refused = new MailConnectException(new SocketConnectException(
                "Could not connect", new ConnectException("Connection refused"), "smtp.example.com", 587, 5000));
        assertEquals(
                "cannot connect to smtp.example.com:587: ConnectException: Connection refused",
                SmtpFailures.classify(refused).getMessage());

        MessagingException timeout =
                new MessagingException("Exception reading response", new SocketTimeoutException("Read timed out"));
        DeliveryFailedException timedOut =
                assertInstanceOf(DeliveryFailedException.class, SmtpFailures.classify(timeout));
        assertTrue(timedOut.getMessage().contains("Read timed out"), timedOut.getMessage());

        DeliveryFailedException auth = assertInstanceOf(
                DeliveryFailedException.class,
                SmtpFailures.classify(
                        new AuthenticationFailedException("535 5.7.8 Authentication credentials invalid\n")));
        assertEquals("authentication failed: 535 5.7.8 Authentication credentials invalid", auth.getMessage());

        assertInstanceOf(
                DeliveryFailedException.class,
                SmtpFailures.classify(new SMTPSenderFailedException(
                        address("news@example.com"), "MAIL FROM:<news@example.com>", 553, "553 sender not allowed")));

        DeliveryFailedException data = assertInstanceOf(
                DeliveryFailedException.class,
                SmtpFailures.classify(new SMTPSendFailedException(
                        "DATA", 554, "554 5.7.1 Message rejected as spam\n", null, null, null, null)));
        assertEquals("the server refused the message: 554 5.7.1 Message rejected as spam", data.getMessage());
    }
}
