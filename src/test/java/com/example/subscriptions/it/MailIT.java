package com.example.subscriptions.it;

import static com.example.subscriptions.it.KafkaProbe.json;
import static com.example.subscriptions.it.KafkaProbe.jsonField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.devstack.TestKafka;
import com.example.subscriptions.mail.UnsubscribeTokens;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.SendEmailWorkflow;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real email: the service with {@code mail.sender=smtp} delivering to an SMTP server in this JVM (GreenMail), with
 * the one-click unsubscribe listener, a real broker and a real Temporal service.
 */
class MailIT {

    private static final String SECRET = "mail-it-secret-0123456789abcdef0123";
    private static final String ONE_CLICK = "List-Unsubscribe=One-Click";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static GreenMail smtp;
    private static ServiceFixture fixture;
    private static Service service;
    private static KafkaProbe kafka;
    private static WorkflowClient temporal;
    private static Admin admin;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        fixture = new ServiceFixture();
        service = fixture.start(Map.of(
                "roles",
                "worker,commands,unsubscribe",
                "subscription.interval",
                "PT2S",
                "mail.sender",
                "smtp",
                "mail.host",
                "127.0.0.1",
                "mail.port",
                Integer.toString(smtp.getSmtp().getPort()),
                "mail.tls",
                "off",
                "mail.from",
                "Example News <news@example.com>",
                "mail.reply-to",
                "help@example.com",
                "unsubscribe.secret",
                SECRET));
        kafka = new KafkaProbe(fixture.topic("events"));
        temporal = fixture.client();
        admin = Admin.create(
                Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        admin.close();
        kafka.close();
        fixture.close();
        smtp.stop();
    }

    private static String newEmail() {
        return "mail-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static JsonNode command(String type, String email) {
        String commandId = UUID.randomUUID().toString();
        kafka.send(
                fixture.topic("commands"),
                email,
                "{\"type\":\"" + type + "\",\"email\":\"" + email + "\",\"commandId\":\"" + commandId + "\"}");
        return json(kafka.await(jsonField(fixture.topic("events"), "commandId", commandId)));
    }

    private static List<MimeMessage> awaitEmails(String email, int count) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> emailsTo(email).size() >= count);
        return emailsTo(email);
    }

    private static List<MimeMessage> emailsTo(String email) {
        return Arrays.stream(smtp.getReceivedMessages())
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

    private static String text(MimeMessage message) throws Exception {
        if (message.getContent() instanceof Multipart parts) {
            for (int i = 0; i < parts.getCount(); i++) {
                BodyPart part = parts.getBodyPart(i);
                if (part.isMimeType("text/plain")) {
                    return (String) part.getContent();
                }
            }
        }
        return (String) message.getContent();
    }

    private static URI unsubscribeLink(MimeMessage message) throws Exception {
        String header = message.getHeader("List-Unsubscribe", null);
        assertTrue(header.startsWith("<") && header.endsWith(">"), header);
        return URI.create(header.substring(1, header.length() - 1));
    }

    private static HttpResponse<String> post(URI link) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(link)
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(ONE_CLICK))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static WorkflowExecutionStatus status(String email) {
        return temporal.newUntypedWorkflowStub(email).describe().getStatus();
    }

    /** Records on the commands topic so far: read after an answer, it shows whether that request published. */
    private static long commandsWritten() throws Exception {
        String topic = fixture.topic("commands");
        Map<TopicPartition, OffsetSpec> latest = admin
                .describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset())
                .sum();
    }

    @Test
    void welcomeAndLaterEmailsArriveWithSubjectBodyFromMessageIdAndUnsubscribeHeaders() throws Exception {
        String email = newEmail();
        command("subscribe", email);

        List<MimeMessage> emails = awaitEmails(email, 2);
        command("unsubscribe", email);

        String runId =
                temporal.newUntypedWorkflowStub(email).describe().getExecution().getRunId();
        MimeMessage welcome = emails.get(0);
        MimeMessage later = emails.get(1);
        assertEquals("Welcome to our Subscription Workflow!", welcome.getSubject());
        assertEquals("Thank you for staying subscribed!", later.getSubject());
        assertTrue(
                text(welcome).contains(EmailDetails.WELCOME) && text(welcome).contains("email number 1"),
                text(welcome));
        assertTrue(text(later).contains(EmailDetails.THANK_YOU) && text(later).contains("email number 2"), text(later));
        assertEquals(new InternetAddress("Example News <news@example.com>"), welcome.getFrom()[0]);
        assertEquals(new InternetAddress("help@example.com"), welcome.getReplyTo()[0]);
        assertTrue(welcome.getContentType().startsWith("multipart/alternative"), welcome.getContentType());
        assertTrue(welcome.getMessageID().matches("<" + runId + "\\.[^@]+@example\\.com>"), welcome.getMessageID());
        assertNotEquals(welcome.getMessageID(), later.getMessageID());
        for (MimeMessage message : List.of(welcome, later)) {
            URI link = unsubscribeLink(message);
            assertEquals(service.unsubscribeBaseUrl().resolve("/unsubscribe").getPath(), link.getPath());
            assertTrue(text(message).contains(link.toString()), "the body shows the link");
            assertEquals(ONE_CLICK, message.getHeader("List-Unsubscribe-Post", null));
        }
    }

    @Test
    void theLinkFromAReceivedEmailUnsubscribesThroughKafkaAndTheGoodbyeArrives() throws Exception {
        String email = newEmail();
        command("subscribe", email);
        URI link = unsubscribeLink(awaitEmails(email, 1).get(0));

        HttpResponse<String> clicked = post(link);

        assertEquals(200, clicked.statusCode(), clicked.body());
        JsonNode event = json(kafka.await(
                record -> jsonField(fixture.topic("events"), "email", email).test(record)
                        && json(record).path("commandId").asText().startsWith("unsubscribe-link-")));
        assertEquals("UNSUBSCRIBE_REQUESTED", event.get("outcome").asText());
        assertEquals("unsubscribe", event.get("type").asText());
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> status(email) == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
        MimeMessage goodbye = emailsTo(email).stream()
                .filter(m -> subject(m).equals("Sorry to see you go"))
                .findFirst()
                .orElseThrow();
        assertTrue(text(goodbye).contains("is unsubscribed"), text(goodbye));
        assertNull(goodbye.getHeader("List-Unsubscribe"));
        assertEquals(
                false,
                temporal.newWorkflowStub(SendEmailWorkflow.class, email)
                        .details()
                        .subscribed());

        // A second click within the click window is answered alike and publishes nothing more.
        long before = commandsWritten();
        HttpResponse<String> again = post(link);
        assertEquals(200, again.statusCode());
        assertEquals(before, commandsWritten());
    }

    @Test
    void openingTheLinkShowsAConfirmButtonAndChangesNothing() throws Exception {
        String email = newEmail();
        command("subscribe", email);
        URI link = unsubscribeLink(awaitEmails(email, 1).get(0));
        long before = commandsWritten();

        HttpResponse<String> page = HTTP.send(
                HttpRequest.newBuilder(link).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<form method=\"post\">") && page.body().contains(email), page.body());
        assertEquals(before, commandsWritten());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status(email));
        command("unsubscribe", email);
    }

    @Test
    void aForgedOrTruncatedLinkIsRefusedAndNothingReachesKafka() throws Exception {
        String email = newEmail();
        command("subscribe", email);
        URI link = unsubscribeLink(awaitEmails(email, 1).get(0));
        String forgedToken = UnsubscribeTokens.withSecret("not-the-service-secret-0123456789abc")
                .issue(email);
        URI forged = URI.create(link.toString().replaceFirst("token=.*", "token=" + forgedToken));
        URI truncated = URI.create(link.toString().substring(0, link.toString().length() - 3));
        long before = commandsWritten();

        assertEquals(403, post(forged).statusCode());
        assertEquals(400, post(truncated).statusCode());

        assertEquals(before, commandsWritten());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status(email));
        command("unsubscribe", email);
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
