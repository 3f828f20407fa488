package com.example.subscriptions.it;

import static com.example.subscriptions.it.KafkaProbe.json;
import static com.example.subscriptions.it.KafkaProbe.jsonField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.workflow.EmailDetails;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Double opt-in with real email: the service with {@code subscription.double-opt-in=true} delivering to GreenMail,
 * the confirm link served by the unsubscribe listener, a real broker and a real Temporal service.
 */
class DoubleOptInIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern CONFIRM_URL = Pattern.compile("http://\\S+/confirm\\?token=\\S+");

    private static GreenMail smtp;
    private static ServiceFixture fixture;
    private static Service service;
    private static KafkaProbe kafka;
    private static WorkflowClient temporal;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        fixture = new ServiceFixture();
        service = fixture.start(Map.of(
                "roles",
                "worker,commands,unsubscribe",
                "subscription.interval",
                "PT1H",
                "subscription.double-opt-in",
                "true",
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
                "unsubscribe.secret",
                "double-opt-in-it-secret-0123456789abcdef"));
        kafka = new KafkaProbe(fixture.topic("events"));
        temporal = fixture.client();
    }

    @AfterAll
    static void stop() {
        kafka.close();
        fixture.close();
        smtp.stop();
    }

    private static String newEmail() {
        return "optin-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
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

    private static URI confirmLink(MimeMessage confirmation) throws Exception {
        Matcher url = CONFIRM_URL.matcher(text(confirmation));
        assertTrue(url.find(), text(confirmation));
        return URI.create(url.group());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static EmailDetails details(String email) {
        return temporal.newWorkflowStub(com.example.subscriptions.workflow.SendEmailWorkflow.class, email)
                .details();
    }

    @Test
    void onlyTheConfirmationArrivesUntilTheLinksButtonIsPressedThenTheWelcome() throws Exception {
        String email = newEmail();
        assertEquals("SUBSCRIBED", command("subscribe", email).get("outcome").asText());
        MimeMessage confirmation = awaitEmails(email, 1).get(0);
        assertEquals("Please confirm your subscription", confirmation.getSubject());
        assertTrue(details(email).pending());

        URI link = confirmLink(confirmation);
        HttpResponse<String> page = send(HttpRequest.newBuilder(link).GET());
        assertEquals(200, page.statusCode());
        assertTrue(details(email).pending(), "a GET changes nothing");
        assertEquals(1, emailsTo(email).size());

        HttpResponse<String> pressed = send(HttpRequest.newBuilder(link)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("confirm=yes")));
        assertEquals(200, pressed.statusCode(), pressed.body());
        JsonNode event = json(kafka.await(
                record -> jsonField(fixture.topic("events"), "email", email).test(record)
                        && json(record).path("commandId").asText().startsWith("confirm-link-")));
        assertEquals("CONFIRMED", event.get("outcome").asText());
        assertEquals("confirm", event.get("type").asText());

        MimeMessage welcome = awaitEmails(email, 2).get(1);
        assertEquals("Welcome to our Subscription Workflow!", welcome.getSubject());
        assertEquals(new EmailDetails(email, EmailDetails.WELCOME, 1, true), details(email));
    }

    @Test
    void anUnsubscribeWhilePendingEndsItWithoutAGoodbye() throws Exception {
        String email = newEmail();
        command("subscribe", email);
        awaitEmails(email, 1);

        assertEquals(
                "UNSUBSCRIBE_REQUESTED",
                command("unsubscribe", email).get("outcome").asText());
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> temporal.newUntypedWorkflowStub(email).describe().getStatus()
                        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);

        assertEquals("NOT_SUBSCRIBED", command("confirm", email).get("outcome").asText());
        assertEquals(1, emailsTo(email).size(), "the confirmation only");
    }
}
