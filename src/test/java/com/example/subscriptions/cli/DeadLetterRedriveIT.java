package com.example.subscriptions.cli;

import static com.example.subscriptions.it.KafkaProbe.bytes;
import static com.example.subscriptions.it.KafkaProbe.header;
import static com.example.subscriptions.it.KafkaProbe.json;
import static com.example.subscriptions.it.KafkaProbe.onTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.faults.FaultChecks;
import com.example.subscriptions.it.KafkaProbe;
import com.example.subscriptions.it.ServiceFixture;
import com.example.subscriptions.kafka.DeadLetters;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Dead letters re-driven against the real broker, Temporal service and an SMTP server: a subscribe refused for its
 * size is dead-lettered, the limit is raised (the cause fixed), and one redrive starts its subscription exactly once;
 * a record that fails again comes back with its redrive count and is then left where it is; a second redrive
 * publishes nothing.
 */
class DeadLetterRedriveIT {

    private final ServiceFixture fixture = new ServiceFixture();
    private final GreenMail smtp =
            new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    private com.example.subscriptions.app.Service service;

    @BeforeAll
    static void startBackends() {
        FaultChecks.startBackends();
    }

    @AfterEach
    void stop() {
        // Closes the service it started last.
        fixture.close();
        smtp.stop();
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aFixedPoisonRecordIsRedrivenIntoExactlyOneSubscriptionAndASecondRedrivePublishesNothing() throws Exception {
        smtp.start();
        Map<String, String> settings = settings(Map.of());
        Map<String, String> cliSettings = fixture.values(Map.of());
        service = fixture.start(settings);
        String commands = fixture.topic("commands");
        String dlt = fixture.topic("commands-dlt");
        String email = "redrive-" + fixture.suffix + "@example.com";
        String big = "{\"type\":\"subscribe\",\"email\":\"" + email + "\",\"commandId\":\"big-" + fixture.suffix
                + "\",\"padding\":\"" + "p".repeat(20_000) + "\"}";

        try (KafkaProbe kafka = new KafkaProbe(fixture.topic("events"), dlt, commands)) {
            kafka.send(new ProducerRecord<>(commands, bytes(email), bytes(big)));
            kafka.send(new ProducerRecord<>(commands, bytes("garbage-" + fixture.suffix), bytes("not a command")));
            kafka.awaitCount(2, onTopic(dlt));

            OperatorCli list = OperatorCli.run(cliSettings, "dead-letters", "list");
            assertEquals(Cli.OK, list.exitCode(), list.toString());
            assertTrue(list.out().contains("2 dead letters in " + dlt), list.toString());
            assertEquals(
                    2, list.out().lines().filter(l -> l.startsWith("pending")).count(), list.toString());

            kafka.awaitCount(2, onTopic(commands));
            OperatorCli dryRun = OperatorCli.run(cliSettings, "dead-letters", "redrive");
            assertEquals(Cli.OK, dryRun.exitCode(), dryRun.toString());
            assertEquals(
                    2,
                    dryRun.out()
                            .lines()
                            .filter(l -> l.contains("would redrive"))
                            .count(),
                    dryRun.toString());
            assertEquals(2, kafka.all(onTopic(commands)).size(), "a dry run publishes nothing");

            // The cause, fixed: commands that large are accepted now.
            service.close();
            service = fixture.start(settings(Map.of("commands.max-record-bytes", "65536")));

            OperatorCli redrive =
                    OperatorCli.run(cliSettings, "dead-letters", "redrive", "--execute", "--max-redrives", "1");
            assertEquals(Cli.OK, redrive.exitCode(), redrive.toString());
            assertTrue(redrive.out().contains("Redrove 2 and left 0"), redrive.toString());
            kafka.awaitCount(4, onTopic(commands));

            kafka.await(r -> r.topic().equals(fixture.topic("events"))
                    && email.equals(json(r).path("email").asText())
                    && "SUBSCRIBED".equals(json(r).path("outcome").asText()));
            ConsumerRecord<byte[], byte[]> again =
                    kafka.await(r -> r.topic().equals(dlt) && "1".equals(header(r, DeadLetters.REDRIVE_COUNT)));
            assertEquals("garbage-" + fixture.suffix, KafkaProbe.text(again.key()));

            OperatorCli second =
                    OperatorCli.run(cliSettings, "dead-letters", "redrive", "--execute", "--max-redrives", "1");
            assertEquals(Cli.OK, second.exitCode(), second.toString());
            assertTrue(second.out().contains("Redrove 0 and left 1"), second.toString());
            OperatorCli third = OperatorCli.run(cliSettings, "dead-letters", "redrive", "--execute");
            assertTrue(third.out().contains("Nothing to redrive"), third.toString());
            assertEquals(4, kafka.all(onTopic(commands)).size(), "the second and third redrives published nothing");

            List<ConsumerRecord<byte[], byte[]>> subscribed =
                    kafka.all(r -> r.topic().equals(fixture.topic("events"))
                            && email.equals(json(r).path("email").asText())
                            && !"REJECTED".equals(json(r).path("outcome").asText()));
            assertEquals(
                    List.of("SUBSCRIBED"),
                    subscribed.stream()
                            .map(r -> json(r).path("outcome").asText())
                            .toList());
            FaultChecks.await(Duration.ofSeconds(30)).until(() -> to(email).size() == 1);
            assertEquals(
                    WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
                    fixture.client().newUntypedWorkflowStub(email).describe().getStatus());
            assertEquals(1, to(email).size(), "one welcome email: one subscription started");
        }
    }

    private Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of(
                "roles", "worker,commands",
                "subscription.interval", "PT1H",
                "mail.sender", "smtp",
                "mail.host", "127.0.0.1",
                "mail.port", Integer.toString(smtp.getSmtp().getPort()),
                "mail.tls", "off",
                "mail.from", "news@example.com",
                "unsubscribe.secret", "redrive-it-secret-0123456789abcdef0123"));
        values.putAll(extra);
        return values;
    }

    private List<MimeMessage> to(String email) {
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> {
                    try {
                        return Arrays.stream(m.getRecipients(Message.RecipientType.TO))
                                .anyMatch(a -> a.toString().contains(email));
                    } catch (MessagingException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }
}
