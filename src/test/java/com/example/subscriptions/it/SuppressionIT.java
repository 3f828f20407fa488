package com.example.subscriptions.it;

import static com.example.subscriptions.it.KafkaProbe.json;
import static com.example.subscriptions.it.KafkaProbe.jsonField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.cli.Cli;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.devstack.EmbeddedTemporal;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.SendEmailWorkflow;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import jakarta.mail.internet.InternetAddress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The suppression list as users meet it: a bounce ends a subscription without a goodbye and suppresses the address;
 * the suppression outlives a restart of the service and a Temporal that no longer knows the closed run (as after
 * the namespace's retention); a subscribe of the suppressed address starts nothing and sends nothing, until an
 * operator lifts the suppression.
 */
class SuppressionIT {

    private GreenMail smtp;
    private ServiceFixture fixture;
    private KafkaProbe kafka;
    private WorkflowClient temporal;
    private Service service;
    private Map<String, String> settings;
    private EmbeddedTemporal forgetful;
    private WorkflowServiceStubs forgetfulStubs;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        fixture = new ServiceFixture();
        settings = new HashMap<>(Map.of(
                "roles",
                "worker,commands,responder",
                "subscription.interval",
                "PT1H",
                "mail.sender",
                "smtp",
                "mail.host",
                "127.0.0.1",
                "mail.port",
                Integer.toString(smtp.getSmtp().getPort()),
                "mail.tls",
                "off",
                "mail.from",
                "news@example.com",
                "unsubscribe.secret",
                "suppression-it-secret-0123456789abcdef"));
        service = Service.start(fixture.settings(settings));
        kafka = new KafkaProbe(
                fixture.topic("events"), fixture.topic("suppressions"), fixture.topic("details-replies"));
        temporal = fixture.client();
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        if (forgetfulStubs != null) {
            forgetfulStubs.shutdownNow();
        }
        if (forgetful != null) {
            forgetful.close();
        }
        kafka.close();
        fixture.close();
        smtp.stop();
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50));
    }

    private JsonNode command(String email, String fields) {
        String commandId = "it-" + UUID.randomUUID();
        kafka.send(
                fixture.topic("commands"),
                email,
                "{\"email\":\"" + email + "\",\"commandId\":\"" + commandId + "\"," + fields + "}");
        return json(kafka.await(jsonField(fixture.topic("events"), "commandId", commandId)));
    }

    /** Runs the CLI against this test's topics; its exit code and the event it printed. */
    private record CliRun(int code, JsonNode event) {}

    private CliRun cli(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(
                args,
                fixture.values(settings),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8).strip();
        assertTrue(!printed.isEmpty(), () -> "the CLI printed no event: " + err.toString(StandardCharsets.UTF_8));
        return new CliRun(code, Json.MAPPER.readTree(printed));
    }

    private long emailsTo(String email) {
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
                .count();
    }

    private WorkflowExecutionStatus status(String email) {
        return temporal.newUntypedWorkflowStub(email).describe().getStatus();
    }

    /**
     * A Temporal service that has no record of any run, as a real one has none of a closed run once the namespace's
     * retention passed. (The SDK's test server cannot delete one run: DeleteWorkflowExecution is UNIMPLEMENTED.)
     */
    private WorkflowClient temporalThatForgot() {
        forgetful = EmbeddedTemporal.start(0);
        settings.put("temporal.address", forgetful.address());
        forgetfulStubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(forgetful.address())
                .build());
        return WorkflowClient.newInstance(forgetfulStubs);
    }

    @Test
    @Timeout(180)
    void aSuppressionOutlivesARestartAndTheDeletionOfTheClosedRunUntilAnOperatorLiftsIt() {
        String email = "bounced-" + fixture.suffix + "@example.com";
        assertEquals(
                "SUBSCRIBED",
                command(email, "\"type\":\"subscribe\"").get("outcome").asText());
        eventually().until(() -> emailsTo(email) == 1);

        JsonNode bounced = command(
                email,
                "\"type\":\"bounce\",\"source\":\"dsn\",\"diagnostic\":\"smtp; 550 5.1.1 <" + email
                        + ">: user unknown\"");

        assertEquals("SUPPRESSED", bounced.get("outcome").asText());
        assertEquals("dsn", bounced.get("source").asText());
        eventually().until(() -> status(email) == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
        assertEquals(
                EmailDetails.BOUNCED,
                temporal.newWorkflowStub(SendEmailWorkflow.class, email)
                        .details()
                        .message());
        assertEquals(1, emailsTo(email), "no goodbye after a bounce");
        JsonNode entry = json(kafka.await(record ->
                record.topic().equals(fixture.topic("suppressions")) && email.equals(KafkaProbe.text(record.key()))));
        assertEquals("bounce", entry.get("reason").asText());

        // The service restarts, and Temporal has forgotten the closed run, as retention makes it do.
        service.close();
        service = null;
        temporal = temporalThatForgot();
        assertThrows(WorkflowNotFoundException.class, () -> status(email));
        service = Service.start(fixture.settings(settings));
        eventually().until(service::ready);

        JsonNode again = command(email, "\"type\":\"subscribe\"");
        assertEquals("SUPPRESSED", again.get("outcome").asText());
        assertThrows(WorkflowNotFoundException.class, () -> status(email), "nothing was started");
        assertEquals(
                "ALREADY_SUPPRESSED",
                command(email, "\"type\":\"complaint\",\"source\":\"operator\"")
                        .get("outcome")
                        .asText());

        assertEquals(
                "UNSUPPRESSED",
                command(email, "\"type\":\"unsuppress\"").get("outcome").asText());
        assertEquals(
                "NOT_SUPPRESSED",
                command(email, "\"type\":\"unsuppress\"").get("outcome").asText());
        assertEquals(
                "SUBSCRIBED",
                command(email, "\"type\":\"subscribe\"").get("outcome").asText());
        eventually().until(() -> emailsTo(email) == 2);
        kafka.await(record -> record.topic().equals(fixture.topic("suppressions"))
                && email.equals(KafkaProbe.text(record.key()))
                && record.value() == null);
    }

    @Test
    @Timeout(120)
    void anOperatorSuppressesAndLiftsWithTheCli() throws Exception {
        String email = "operator-" + fixture.suffix + "@example.com";
        assertEquals(0, cli("subscribe", email).code());
        eventually().until(() -> emailsTo(email) == 1);

        CliRun complaint = cli("complaint", email, "--diagnostic", "phoned support: marked us as spam");
        assertEquals(0, complaint.code());
        assertEquals("SUPPRESSED", complaint.event().get("outcome").asText());
        assertEquals("operator", complaint.event().get("source").asText());
        eventually().until(() -> status(email) == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
        assertEquals(
                EmailDetails.COMPLAINED,
                temporal.newWorkflowStub(SendEmailWorkflow.class, email)
                        .details()
                        .message());

        CliRun refused = cli("subscribe", email);
        assertEquals(Cli.REFUSED, refused.code(), "a subscribe answered SUPPRESSED exits 1");
        assertEquals("SUPPRESSED", refused.event().get("outcome").asText());

        CliRun lifted = cli("unsuppress", email);
        assertEquals(0, lifted.code());
        assertEquals("UNSUPPRESSED", lifted.event().get("outcome").asText());
        assertEquals(1, emailsTo(email), "no goodbye after a complaint, and nothing while suppressed");
    }

    @Test
    @Timeout(120)
    void anUnsubscribeIsNoSuppression() {
        String email = "left-" + fixture.suffix + "@example.com";
        assertEquals(
                "SUBSCRIBED",
                command(email, "\"type\":\"subscribe\"").get("outcome").asText());
        assertEquals(
                "UNSUBSCRIBE_REQUESTED",
                command(email, "\"type\":\"unsubscribe\"").get("outcome").asText());

        assertEquals(
                "SUBSCRIBED",
                command(email, "\"type\":\"subscribe\"").get("outcome").asText());
        assertEquals(
                "NOT_SUPPRESSED",
                command(email, "\"type\":\"unsuppress\"").get("outcome").asText());
    }
}
