package com.example.subscriptions.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.it.RefusingSmtpServer;
import com.example.subscriptions.workflow.DeliveryFailedException;
import com.example.subscriptions.workflow.DeliveryId;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.RecipientRejectedException;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The SMTP sender against real SMTP servers in this JVM: TLS, AUTH, and how each kind of failure ends. */
class SmtpEmailSenderIT {

    private static final String PASSWORD = "pw-never-logged-7f3a";
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final DeliveryId DELIVERY = new DeliveryId("alice@example.com", "run-1", "1");

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private GreenMail smtps;

    @BeforeEach
    void startServer() {
        smtps = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("news@example.com", "apikey", PASSWORD));
        smtps.start();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void stopServer() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        smtps.stop();
    }

    private static SmtpEmailSender sender(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of(
                "mail.sender",
                "smtp",
                "mail.host",
                "127.0.0.1",
                "mail.from",
                "news@example.com",
                "unsubscribe.secret",
                SECRET,
                // GreenMail's certificate is self-signed and names no host.
                "mail.smtp.ssl.trust",
                "127.0.0.1",
                "mail.smtp.ssl.checkserveridentity",
                "false"));
        values.putAll(overrides);
        Settings settings = Settings.of(values);
        return new SmtpEmailSender(
                settings.mail(),
                MailTemplates.packaged(),
                new UnsubscribeLinks(URI.create("https://mail.example.com"), UnsubscribeTokens.withSecret(SECRET)),
                UnaryOperator.identity());
    }

    private Map<String, String> implicitTlsAs(String password) {
        return Map.of(
                "mail.port",
                Integer.toString(smtps.getSmtps().getPort()),
                "mail.tls",
                "implicit",
                "mail.username",
                "apikey",
                "mail.password",
                password);
    }

    private static EmailDetails welcome() {
        return new EmailDetails("alice@example.com", EmailDetails.WELCOME, 1, true);
    }

    @Test
    void deliversOverImplicitTlsWithSmtpAuth() throws Exception {
        sender(implicitTlsAs(PASSWORD)).send(welcome(), DELIVERY);

        MimeMessage[] received = smtps.getReceivedMessages();
        assertEquals(1, received.length);
        assertEquals("Welcome to our Subscription Workflow!", received[0].getSubject());
        assertEquals("<run-1.1@example.com>", received[0].getMessageID());
    }

    @Test
    void aWrongPasswordIsRetriedAndNeverLogged() {
        DeliveryFailedException failure = assertThrows(
                DeliveryFailedException.class,
                () -> sender(implicitTlsAs("wrong-" + PASSWORD)).send(welcome(), DELIVERY));

        assertTrue(failure.getMessage().startsWith("authentication failed: 535"), failure.getMessage());
        assertEquals(0, smtps.getReceivedMessages().length);
        assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("not sent, will retry")));
        assertFalse(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(PASSWORD)));
    }

    @Test
    void starttlsRequiredRefusesToSendInTheClearToAServerWithoutIt() {
        GreenMail plain = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        plain.start();
        try {
            DeliveryFailedException failure = assertThrows(
                    DeliveryFailedException.class,
                    () -> sender(Map.of(
                                    "mail.port",
                                    Integer.toString(plain.getSmtp().getPort()),
                                    "mail.tls",
                                    "starttls-required"))
                            .send(welcome(), DELIVERY));

            assertTrue(failure.getMessage().contains("STARTTLS"), failure.getMessage());
            assertEquals(0, plain.getReceivedMessages().length);
        } finally {
            plain.stop();
        }
    }

    @Test
    void aPermanentRefusalOfTheRecipientIsReportedWithTheServersReply() throws Exception {
        try (RefusingSmtpServer refusing = new RefusingSmtpServer()) {
            RecipientRejectedException rejection = assertThrows(
                    RecipientRejectedException.class,
                    () -> sender(Map.of("mail.port", Integer.toString(refusing.port()), "mail.tls", "off"))
                            .send(welcome(), DELIVERY));

            assertEquals(RefusingSmtpServer.REFUSAL, rejection.getMessage());
        }
    }
}
