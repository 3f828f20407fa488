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
import com.example.subscriptions.it.RefusingSmtpServer;
import com.example.subscriptions.it.ServiceFixture;
import com.example.subscriptions.workflow.EmailActivitiesImpl;
import com.example.subscriptions.workflow.EmailDetails;
import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * A mail server that refuses after the message's final dot, as servers that check recipients or content late do:
 * {@code 550 5.1.1} (the address is gone) unsubscribes and suppresses the subscriber within a minute, and
 * {@code 554 5.7.1} (this message refused) is tried a bounded number of times, then given up, visibly, while the
 * subscription goes on.
 */
class RefusedAfterDataIT {

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private ServiceFixture fixture;
    private KafkaProbe kafka;
    private RefusingSmtpServer smtp;

    @BeforeEach
    void watchTheLog() {
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (smtp != null) {
            smtp.close();
        }
        root.detachAppender(logs);
    }

    private void start(String refusal) {
        smtp = new RefusingSmtpServer(RefusingSmtpServer.Phase.END_OF_DATA, refusal);
        fixture = new ServiceFixture();
        Map<String, String> settings = new HashMap<>(Map.of(
                "roles", "worker,commands",
                "subscription.interval", "PT1S",
                "mail.sender", "smtp",
                "mail.host", "127.0.0.1",
                "mail.port", Integer.toString(smtp.port()),
                "mail.tls", "off",
                "mail.from", "news@example.com",
                "unsubscribe.secret", "refused-after-data-it-secret-0123456789"));
        fixture.start(settings);
        kafka = new KafkaProbe(fixture.topic("events"), fixture.topic("commands"));
    }

    private JsonNode subscribe(String email, String commandId) {
        kafka.send(
                fixture.topic("commands"),
                email,
                "{\"type\":\"subscribe\",\"email\":\"" + email + "\",\"commandId\":\"" + commandId + "\"}");
        return json(kafka.await(jsonField(fixture.topic("events"), "commandId", commandId)));
    }

    private WorkflowExecutionStatus status(String email) {
        return fixture.client().newUntypedWorkflowStub(email).describe().getStatus();
    }

    private List<ILoggingEvent> lines(String logger, Level level) {
        return logs.list.stream()
                .filter(e -> e.getLoggerName().endsWith(logger) && e.getLevel() == level)
                .toList();
    }

    @Test
    @Timeout(120)
    void anAddressRefusedAfterDataIsUnsubscribedAndSuppressedWithinAMinute() {
        String email = "gone-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String reply = "550 5.1.1 <" + email + ">: mailbox unavailable";
        start(reply);
        long subscribed = System.nanoTime();

        assertEquals("SUBSCRIBED", subscribe(email, "first").get("outcome").asText());

        JsonNode bounce = json(kafka.await(jsonField(fixture.topic("commands"), "type", "bounce")));
        assertEquals(email, bounce.get("email").asText());
        assertEquals("smtp", bounce.get("source").asText());
        assertEquals(reply, bounce.get("diagnostic").asText());
        JsonNode suppressed = json(kafka.await(jsonField(
                fixture.topic("events"), "commandId", bounce.get("commandId").asText())));
        assertEquals("SUPPRESSED", suppressed.get("outcome").asText());
        assertEquals("smtp", suppressed.get("source").asText());
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> status(email) != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        Duration took = Duration.ofNanos(System.nanoTime() - subscribed);
        assertTrue(took.compareTo(Duration.ofMinutes(1)) < 0, "unsubscribed after " + took);
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, status(email));
        assertEquals(1, smtp.refused(), "an address gone is not tried again");

        assertEquals("SUPPRESSED", subscribe(email, "again").get("outcome").asText());
        assertEquals(1, smtp.refused(), "a suppressed address gets nothing");
        assertTrue(
                logs.list.stream().noneMatch(e -> e.getThrowableProxy() != null),
                "an expected outcome was logged with a stack trace");
    }

    @Test
    @Timeout(120)
    void aMessageRefusedAfterDataIsGivenUpAfterABoundedNumberOfAttemptsAndTheSubscriptionGoesOn() {
        String email = "blocked-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        start("554 5.7.1 Message rejected as spam");

        assertEquals("SUBSCRIBED", subscribe(email, "first").get("outcome").asText());

        JsonNode givenUp = json(kafka.await(jsonField(fixture.topic("events"), "outcome", "GIVEN_UP")));
        assertEquals("email", givenUp.get("type").asText());
        assertEquals(email, givenUp.get("email").asText());
        assertEquals(1, givenUp.get("count").asInt());
        assertEquals("554 5.7.1 Message rejected as spam", givenUp.get("reason").asText());
        // The next email is tried an interval later: the subscription goes on.
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> smtp.refusedMessageIds().stream().distinct().count() >= 2);
        List<String> attempts = smtp.refusedMessageIds();
        assertEquals(
                EmailActivitiesImpl.GIVE_UP_AFTER_ATTEMPTS,
                attempts.stream().filter(attempts.get(0)::equals).count(),
                "attempts of the given-up email: " + attempts);
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status(email));
        assertEquals(
                EmailDetails.WELCOME,
                fixture.client()
                        .newWorkflowStub(com.example.subscriptions.workflow.SendEmailWorkflow.class, email)
                        .details()
                        .message(),
                "the welcome is tried again as the next email");
        assertTrue(lines("WorkerReports", Level.WARN).size() >= 1, "the give-up is one WARN line");
        assertEquals(List.of(), lines("SmtpEmailSender", Level.WARN), "refused attempts are not WARN lines each");
    }
}
