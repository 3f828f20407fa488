package com.example.subscriptions.faults;

import static com.example.subscriptions.it.KafkaProbe.json;
import static com.example.subscriptions.it.KafkaProbe.jsonField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.example.subscriptions.it.KafkaProbe;
import com.example.subscriptions.it.RefusingSmtpServer;
import com.example.subscriptions.it.ServiceFixture;
import com.example.subscriptions.workflow.EmailDetails;
import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The subscriber's mail server refuses the address for good (550 to RCPT TO): the subscription ends, is not retried,
 * and its details say why, as the README documents.
 */
class RecipientRefusedIT {

    @Test
    void aPermanentRefusalEndsTheSubscriptionCompletedWithTheServersReply() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        try (RefusingSmtpServer refusing = new RefusingSmtpServer();
                ServiceFixture fixture = new ServiceFixture();
                KafkaProbe kafka = new KafkaProbe(fixture.topic("events"), fixture.topic("details-replies"))) {
            fixture.start(Map.of(
                    "roles",
                    "worker,commands,responder",
                    "subscription.interval",
                    "PT1S",
                    "mail.sender",
                    "smtp",
                    "mail.host",
                    "127.0.0.1",
                    "mail.port",
                    Integer.toString(refusing.port()),
                    "mail.tls",
                    "off",
                    "mail.from",
                    "news@example.com",
                    "unsubscribe.secret",
                    "refused-it-secret-0123456789abcdef0123"));
            String email = "nobody-" + fixture.suffix + "@example.com";

            kafka.send(fixture.topic("commands"), email, "{\"type\":\"subscribe\",\"email\":\"" + email + "\"}");

            assertEquals(
                    "SUBSCRIBED",
                    json(kafka.await(jsonField(fixture.topic("events"), "email", email)))
                            .get("outcome")
                            .asText());
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> fixture.client()
                                    .newUntypedWorkflowStub(email)
                                    .describe()
                                    .getStatus()
                            == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
            kafka.send(fixture.topic("details-requests"), email, "{\"email\":\"" + email + "\",\"requestId\":\"r1\"}");
            JsonNode reply = json(kafka.await(jsonField(fixture.topic("details-replies"), "requestId", "r1")));
            assertEquals("COMPLETED", reply.get("status").asText());
            assertEquals(false, reply.get("subscribed").asBoolean());
            assertEquals(0, reply.get("numberOfEmailsSent").asInt());
            assertEquals(
                    EmailDetails.REJECTED + RefusingSmtpServer.REFUSAL,
                    reply.get("message").asText());
            assertEquals(1, refusing.recipientsRefused(), "the refused email was tried once, not retried");
            assertTrue(
                    logs.list.stream().noneMatch(e -> e.getThrowableProxy() != null),
                    "an expected outcome was logged with a stack trace");
        } finally {
            root.detachAppender(logs);
        }
    }
}
