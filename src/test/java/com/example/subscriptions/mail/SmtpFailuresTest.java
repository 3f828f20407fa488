package com.example.subscriptions.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.workflow.DeliveryFailedException;
import com.example.subscriptions.workflow.MessageRefusedException;
import com.example.subscriptions.workflow.RecipientRejectedException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.stream.Stream;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.eclipse.angus.mail.util.SocketConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

        DeliveryFailedException greylistedMessage = assertInstanceOf(
                DeliveryFailedException.class, SmtpFailures.classify(afterData(451, "451 4.7.1 Try again later")));
        assertEquals("the server refused the message: 451 4.7.1 Try again later", greylistedMessage.getMessage());
    }

    /** What SMTPTransport throws when the message (DATA, or the reply after its end) is answered with {@code code}. */
    private static SMTPSendFailedException afterData(int code, String reply) {
        return new SMTPSendFailedException(".", code, reply + "\n", null, new InternetAddress[] {BOB}, null, null);
    }

    @Test
    void anAddressRefusedAfterDataIsGoneToo() {
        String reply = "550 5.1.1 <bob@example.com>: mailbox unavailable";

        RuntimeException fate = SmtpFailures.classify(afterData(550, reply));

        assertEquals(
                reply, assertInstanceOf(RecipientRejectedException.class, fate).getMessage());
    }

    @Test
    void aMessageRefusedForGoodAfterDataIsRefusedNotTheAddress() {
        RuntimeException fate = SmtpFailures.classify(afterData(554, "554 5.7.1 Message rejected as spam"));

        assertEquals(
                "554 5.7.1 Message rejected as spam",
                assertInstanceOf(MessageRefusedException.class, fate).getMessage());
    }

    @Test
    void theFirstLineOfAMultiLineReplyCarriesTheEnhancedCode() {
        RuntimeException fate = SmtpFailures.classify(afterData(
                550,
                "550-5.1.1 The email account that you tried to reach does not exist.\n550 5.1.1 Please try again."));

        assertEquals(
                "550-5.1.1 The email account that you tried to reach does not exist. 550 5.1.1 Please try again.",
                assertInstanceOf(RecipientRejectedException.class, fate).getMessage());
    }

    /** The README's table, row by row: phase, code, reply, and what happens. */
    static Stream<Arguments> verdicts() {
        return Stream.of(
                Arguments.of(SmtpPhase.RCPT_TO, 550, "550 5.1.1 User unknown", DeliveryVerdict.ADDRESS_GONE),
                Arguments.of(
                        SmtpPhase.RCPT_TO, 553, "553 5.1.3 Bad recipient address syntax", DeliveryVerdict.ADDRESS_GONE),
                Arguments.of(SmtpPhase.RCPT_TO, 550, "550 5.1.10 Recipient has null MX", DeliveryVerdict.ADDRESS_GONE),
                Arguments.of(SmtpPhase.RCPT_TO, 550, "550 5.2.1 Mailbox disabled", DeliveryVerdict.ADDRESS_GONE),
                Arguments.of(SmtpPhase.RCPT_TO, 550, "550 Mailbox unavailable", DeliveryVerdict.ADDRESS_GONE),
                Arguments.of(SmtpPhase.RCPT_TO, 551, "551 User not local", DeliveryVerdict.ADDRESS_GONE),
                Arguments.of(SmtpPhase.RCPT_TO, 553, "553 Mailbox name not allowed", DeliveryVerdict.ADDRESS_GONE),
                Arguments.of(SmtpPhase.MESSAGE, 550, "550 5.1.1 User unknown", DeliveryVerdict.ADDRESS_GONE),
                Arguments.of(SmtpPhase.MESSAGE, 554, "554 5.2.1 Mailbox disabled", DeliveryVerdict.ADDRESS_GONE),
                Arguments.of(SmtpPhase.MESSAGE, 554, "554 5.7.1 Rejected as spam", DeliveryVerdict.MESSAGE_REFUSED),
                Arguments.of(
                        SmtpPhase.MESSAGE, 550, "550 5.7.26 Unauthenticated email", DeliveryVerdict.MESSAGE_REFUSED),
                Arguments.of(SmtpPhase.MESSAGE, 552, "552 5.3.4 Message too big", DeliveryVerdict.MESSAGE_REFUSED),
                Arguments.of(SmtpPhase.MESSAGE, 550, "550 Mailbox unavailable", DeliveryVerdict.MESSAGE_REFUSED),
                Arguments.of(SmtpPhase.MESSAGE, 554, "554 Transaction failed", DeliveryVerdict.MESSAGE_REFUSED),
                Arguments.of(
                        SmtpPhase.RCPT_TO, 554, "554 5.4.1 Recipient access denied", DeliveryVerdict.MESSAGE_REFUSED),
                Arguments.of(SmtpPhase.RCPT_TO, 554, "554 No thanks", DeliveryVerdict.MESSAGE_REFUSED),
                Arguments.of(SmtpPhase.RCPT_TO, 550, "550 5.7.1 Relay access denied", DeliveryVerdict.RETRY),
                Arguments.of(SmtpPhase.RCPT_TO, 552, "552 5.2.2 Mailbox full", DeliveryVerdict.RETRY),
                Arguments.of(SmtpPhase.RCPT_TO, 552, "552 Mailbox full", DeliveryVerdict.RETRY),
                Arguments.of(SmtpPhase.MESSAGE, 552, "552 5.2.2 Mailbox full", DeliveryVerdict.RETRY),
                Arguments.of(SmtpPhase.RCPT_TO, 550, "550 5.1.8 Sender address rejected", DeliveryVerdict.RETRY),
                Arguments.of(SmtpPhase.MESSAGE, 550, "550 5.1.7 Bad sender address syntax", DeliveryVerdict.RETRY),
                Arguments.of(SmtpPhase.RCPT_TO, 450, "450 4.1.1 Try again", DeliveryVerdict.RETRY),
                Arguments.of(SmtpPhase.RCPT_TO, 450, "450 4.2.0 Greylisted", DeliveryVerdict.RETRY),
                Arguments.of(SmtpPhase.MESSAGE, 451, "451 4.7.1 Try again later", DeliveryVerdict.THROTTLED),
                Arguments.of(SmtpPhase.MESSAGE, 421, "421 4.7.0 Too many connections", DeliveryVerdict.THROTTLED),
                Arguments.of(
                        SmtpPhase.MESSAGE,
                        454,
                        "454 Throttling failure: Maximum sending rate exceeded.",
                        DeliveryVerdict.THROTTLED),
                Arguments.of(SmtpPhase.RCPT_TO, 452, "452 4.3.2 System not accepting", DeliveryVerdict.THROTTLED),
                Arguments.of(SmtpPhase.MAIL_FROM, 450, "450 4.7.0 Rate limit exceeded", DeliveryVerdict.THROTTLED),
                Arguments.of(
                        SmtpPhase.MESSAGE, 452, "452 4.4.5 Insufficient system storage", DeliveryVerdict.THROTTLED),
                Arguments.of(SmtpPhase.MAIL_FROM, 550, "550 5.1.1 Unknown sender", DeliveryVerdict.RETRY),
                Arguments.of(SmtpPhase.MAIL_FROM, 553, "553 Sender not allowed", DeliveryVerdict.RETRY),
                Arguments.of(SmtpPhase.AUTH, 535, "535 5.7.8 Authentication failed", DeliveryVerdict.RETRY),
                Arguments.of(SmtpPhase.CONNECT, 554, "554 5.7.1 Go away", DeliveryVerdict.RETRY),
                // An enhanced code whose class contradicts the reply's: the code says permanent, the status what about.
                Arguments.of(SmtpPhase.MESSAGE, 550, "550 4.1.1 Odd server", DeliveryVerdict.ADDRESS_GONE),
                Arguments.of(SmtpPhase.RCPT_TO, 550, "550 4.7.1 Odd server", DeliveryVerdict.RETRY),
                Arguments.of(SmtpPhase.RCPT_TO, 450, "450 5.1.1 Odd server", DeliveryVerdict.RETRY));
    }

    @ParameterizedTest(name = "{1} at {0} ({2}): {3}")
    @MethodSource("verdicts")
    void eachReplyInEachPhaseHasItsVerdict(SmtpPhase phase, int code, String reply, DeliveryVerdict verdict) {
        assertEquals(verdict, DeliveryVerdict.of(phase, SmtpReply.of(code, reply)));
    }

    @Test
    void theEnhancedCodeIsReadOnlyWhereTheStandardPutsIt() {
        assertEquals(
                "5.1.1", SmtpReply.of(550, "550 5.1.1 x").status().orElseThrow().toString());
        assertEquals(
                "5.1.10",
                SmtpReply.of(550, "550-5.1.10 x\n550 5.1.10 y")
                        .status()
                        .orElseThrow()
                        .toString());
        assertTrue(SmtpReply.of(550, "550 user 5.1.1 unknown").status().isEmpty());
        assertTrue(SmtpReply.of(550, "550 5.1.1.1 x").status().isEmpty());
        assertTrue(SmtpReply.of(550, null).status().isEmpty());
    }
}
