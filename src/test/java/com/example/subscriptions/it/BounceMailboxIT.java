package com.example.subscriptions.it;

import static com.example.subscriptions.it.KafkaProbe.json;
import static com.example.subscriptions.it.KafkaProbe.jsonField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.SendEmailWorkflow;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bounce mailbox as a relay fills it: GreenMail takes the service's emails over SMTP and serves the bounce
 * mailbox over IMAP. A DSN for a subscriber, or an abuse report of an email it was sent, ends its subscription
 * without a goodbye and suppresses it; the handled messages are moved out of the inbox, what is no report to the
 * unparsed folder.
 */
class BounceMailboxIT {

    private static final String MAILBOX_LOGIN = "bounces";
    private static final String MAILBOX_PASSWORD = "bounce-mailbox-secret";

    private GreenMail mail;
    private GreenMailUser mailbox;
    private ServiceFixture fixture;
    private KafkaProbe kafka;
    private WorkflowClient temporal;
    private Service service;

    @BeforeEach
    void start() {
        mail = new GreenMail(new ServerSetup[] {
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort(),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort()
        });
        mail.start();
        mailbox = mail.setUser("bounces@example.com", MAILBOX_LOGIN, MAILBOX_PASSWORD);
        fixture = new ServiceFixture();
        Map<String, String> settings = new HashMap<>();
        settings.put("roles", "worker,commands,responder,bounces");
        settings.put("subscription.interval", "PT1H");
        settings.put("mail.sender", "smtp");
        settings.put("mail.host", "127.0.0.1");
        settings.put("mail.port", Integer.toString(mail.getSmtp().getPort()));
        settings.put("mail.tls", "off");
        settings.put("mail.from", "news@example.com");
        settings.put("mail.smtp.from", "bounces@example.com");
        settings.put("unsubscribe.secret", "bounce-mailbox-it-secret-0123456789");
        settings.put("bounces.imap.host", "127.0.0.1");
        settings.put("bounces.imap.port", Integer.toString(mail.getImap().getPort()));
        settings.put("bounces.imap.tls", "off");
        settings.put("bounces.imap.username", MAILBOX_LOGIN);
        settings.put("bounces.imap.password", MAILBOX_PASSWORD);
        settings.put("bounces.imap.poll-interval", "PT0.5S");
        service = Service.start(fixture.settings(settings));
        kafka = new KafkaProbe(fixture.topic("events"), fixture.topic("commands"));
        temporal = fixture.client();
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        kafka.close();
        fixture.close();
        mail.stop();
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100));
    }

    private JsonNode subscribe(String email) {
        String commandId = "it-" + UUID.randomUUID();
        kafka.send(
                fixture.topic("commands"),
                email,
                "{\"type\":\"subscribe\",\"email\":\"" + email + "\",\"commandId\":\"" + commandId + "\"}");
        return json(kafka.await(jsonField(fixture.topic("events"), "commandId", commandId)));
    }

    private JsonNode eventOf(String type, String email) {
        ConsumerRecord<byte[], byte[]> event =
                kafka.await(record -> record.topic().equals(fixture.topic("events"))
                        && type.equals(json(record).path("type").asText())
                        && email.equals(json(record).path("email").asText()));
        return json(event);
    }

    private List<MimeMessage> emailsTo(String email) {
        return Arrays.stream(mail.getReceivedMessages())
                .filter(message -> {
                    try {
                        return ((InternetAddress) message.getAllRecipients()[0])
                                .getAddress()
                                .equals(email);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    private void drop(String rawMessage) throws Exception {
        mailbox.deliver(new MimeMessage(
                Session.getInstance(new Properties()),
                new ByteArrayInputStream(rawMessage.getBytes(StandardCharsets.UTF_8))));
    }

    private int messagesIn(String folderName) throws Exception {
        Properties properties = new Properties();
        try (Store store = Session.getInstance(properties).getStore("imap")) {
            store.connect("127.0.0.1", mail.getImap().getPort(), MAILBOX_LOGIN, MAILBOX_PASSWORD);
            Folder folder = store.getFolder(folderName);
            return folder.exists() ? folder.getMessageCount() : 0;
        }
    }

    private static String sample(String name) throws IOException {
        try (InputStream in = BounceMailboxIT.class.getResourceAsStream("/bounces/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void assertEndedAndSuppressed(String email, String detailsMessage) {
        eventually()
                .until(() -> temporal.newUntypedWorkflowStub(email).describe().getStatus()
                        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
        EmailDetails details =
                temporal.newWorkflowStub(SendEmailWorkflow.class, email).details();
        assertFalse(details.subscribed());
        assertEquals(detailsMessage, details.message());

        assertEquals("SUPPRESSED", subscribe(email).get("outcome").asText());
        assertEquals(1, emailsTo(email).size(), "the welcome only: no goodbye, nothing after the suppression");
    }

    @Test
    @Timeout(180)
    void aDsnInTheMailboxEndsTheSubscriptionAndSuppressesTheAddress() throws Exception {
        String email = "bob-" + fixture.suffix + "@example.org";
        assertEquals("SUBSCRIBED", subscribe(email).get("outcome").asText());
        eventually().until(() -> emailsTo(email).size() == 1);

        drop(sample("dsn-user-unknown.eml")
                .replace("Bob@Example.org", email)
                .replace("bob@example.org", email)
                .replace("RAA14128@relay", "RAA" + fixture.suffix + "@relay"));
        drop(sample("dsn-delayed.eml"));
        drop(sample("garbage.eml"));

        JsonNode bounce = eventOf("bounce", email);
        assertEquals("SUPPRESSED", bounce.get("outcome").asText());
        assertEquals("dsn", bounce.get("source").asText());
        assertTrue(bounce.get("commandId").asText().startsWith("bounce-dsn-"), bounce.toString());
        assertEndedAndSuppressed(email, EmailDetails.BOUNCED);

        eventually().until(() -> messagesIn("INBOX") == 0);
        assertEquals(2, messagesIn("processed"), "the DSN and the delayed DSN");
        assertEquals(1, messagesIn("unparsed"), "the out-of-office reply");
        ConsumerRecord<byte[], byte[]> command = kafka.await(jsonField(fixture.topic("commands"), "type", "bounce"));
        assertEquals(
                "smtp; 550 5.1.1 <" + email + ">... User unknown",
                json(command).get("diagnostic").asText());
        assertEquals(email, KafkaProbe.text(command.key()));
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        for (String kind : List.of("dsn-bounce", "ignored", "unparsed")) {
            assertTrue(metrics.contains("subscriptions_bounce_mailbox_reports_total{kind=\"" + kind + "\"} 1.0"), kind);
        }
        assertTrue(metrics.contains("subscriptions_bounce_mailbox_reachable 1.0"), metrics);
    }

    @Test
    @Timeout(180)
    void anAbuseReportOfAnEmailWeSentFindsItsSubscriberByMessageIdAndSuppressesIt() throws Exception {
        String email = "heidi-" + fixture.suffix + "@example.org";
        assertEquals("SUBSCRIBED", subscribe(email).get("outcome").asText());
        eventually().until(() -> emailsTo(email).size() == 1);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        emailsTo(email).get(0).writeTo(sent);
        Message original = emailsTo(email).get(0);
        assertTrue(original.getHeader("Message-ID")[0].endsWith("@example.com>"));

        // A feedback loop's report without Original-Rcpt-To: the subscriber is the To of the email we sent.
        drop("From: <fbl@isp.example.net>\nTo: <bounces@example.com>\nSubject: complaint\nMessage-ID: <fbl-"
                + fixture.suffix + "@isp.example.net>\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/report; report-type=feedback-report; boundary=\"fbl\"\n\n"
                + "--fbl\nContent-Type: text/plain\n\nThis is an abuse report.\n\n"
                + "--fbl\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nUser-Agent: ISP-FBL/2.0\n"
                + "Version: 1\n\n"
                + "--fbl\nContent-Type: message/rfc822\n\n"
                + sent.toString(StandardCharsets.UTF_8).replace("\r\n", "\n")
                + "\n--fbl--\n");

        JsonNode complaint = eventOf("complaint", email);
        assertEquals("SUPPRESSED", complaint.get("outcome").asText());
        assertEquals("arf", complaint.get("source").asText());
        assertEndedAndSuppressed(email, EmailDetails.COMPLAINED);
        eventually().until(() -> messagesIn("INBOX") == 0 && messagesIn("processed") == 1);
    }
}
