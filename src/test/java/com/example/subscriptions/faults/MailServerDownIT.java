package com.example.subscriptions.faults;

import static com.example.subscriptions.it.KafkaProbe.json;
import static com.example.subscriptions.it.KafkaProbe.jsonField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.example.subscriptions.it.KafkaProbe;
import com.example.subscriptions.it.ServiceFixture;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.SendEmailWorkflow;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The SMTP server is down when the welcome email is due: Temporal retries it, and it arrives once the server is up. */
class MailServerDownIT {

    @Test
    void anEmailDueWhileTheServerIsDownIsRetriedQuietlyAndArrivesOnceItIsBack() throws Exception {
        int port = freePort();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        try (ServiceFixture fixture = new ServiceFixture();
                KafkaProbe kafka = new KafkaProbe(fixture.topic("events"))) {
            fixture.start(Map.of(
                    "roles",
                    "worker,commands",
                    "subscription.interval",
                    "PT1H",
                    "mail.sender",
                    "smtp",
                    "mail.host",
                    "127.0.0.1",
                    "mail.port",
                    Integer.toString(port),
                    "mail.tls",
                    "off",
                    "mail.from",
                    "news@example.com",
                    "unsubscribe.secret",
                    "down-it-secret-0123456789abcdef01234"));
            String email = "down-" + fixture.suffix + "@example.com";

            kafka.send(fixture.topic("commands"), email, "{\"type\":\"subscribe\",\"email\":\"" + email + "\"}");

            assertEquals(
                    "SUBSCRIBED",
                    json(kafka.await(jsonField(fixture.topic("events"), "email", email)))
                            .get("outcome")
                            .asText());
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> logs.list.stream()
                                    .filter(e -> e.getFormattedMessage()
                                            .contains("not sent, will retry: cannot connect to 127.0.0.1:" + port))
                                    .count()
                            >= 2);

            smtp.start();

            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> smtp.getReceivedMessages().length >= 1);
            assertEquals(1, smtp.getReceivedMessages().length);
            assertEquals("Welcome to our Subscription Workflow!", smtp.getReceivedMessages()[0].getSubject());
            EmailDetails details = fixture.client()
                    .newWorkflowStub(SendEmailWorkflow.class, email)
                    .details();
            assertEquals(1, details.count());
            assertEquals(true, details.subscribed());
            assertTrue(
                    logs.list.stream()
                            .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN) && e.getThrowableProxy() != null),
                    "a failed attempt was logged with a stack trace");
        } finally {
            smtp.stop();
            root.detachAppender(logs);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
