package com.example.subscriptions.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.example.subscriptions.command.Command;
import com.example.subscriptions.command.CommandParser;
import com.example.subscriptions.command.ParsedCommand;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.contract.ContractSchemas;
import com.example.subscriptions.contract.Payload;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.example.subscriptions.suppression.ReportSource;
import com.example.subscriptions.suppression.SuppressionReason;
import com.example.subscriptions.workflow.DeliveryId;
import com.example.subscriptions.workflow.EmailDetails;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the worker publishes when its SMTP server refuses an address or gives an email up. */
class WorkerReportsTest {

    private static final Settings SETTINGS = Settings.of(Map.of());
    private static final EmailDetails THIRD = new EmailDetails("bob@example.com", EmailDetails.THANK_YOU, 3, true);
    private static final DeliveryId DELIVERY = new DeliveryId("bob@example.com", "run-1", "7");
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-24T23:10:15.2Z"), ZoneOffset.UTC);

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final ServiceMetrics metrics = new ServiceMetrics();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(WorkerReports.class);

    @BeforeEach
    void watchTheLog() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(logs);
        metrics.close();
    }

    private WorkerReports reports(Optional<KafkaPublisher> publisher) {
        return new WorkerReports(publisher, SETTINGS.topics(), metrics, email -> "b***@example.com", FIXED);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void anAddressGoneIsABounceCommandFromSmtpKeyedByTheEmailThatTheParserAndTheSchemaAccept() {
        reports(Optional.of(new KafkaPublisher(producer)))
                .addressGone(THIRD, "550 5.1.1 <bob@example.com>: mailbox unavailable", DELIVERY);

        ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertEquals(SETTINGS.topics().commands(), sent.topic());
        assertEquals("bob@example.com", text(sent.key()));
        assertEquals(List.of(), ContractSchemas.violations(Payload.COMMAND, text(sent.value())));
        ParsedCommand parsed =
                new CommandParser(16 * 1024).parse(new ConsumerRecord<>(sent.topic(), 0, 0L, sent.key(), sent.value()));
        Command.Suppress bounce = assertInstanceOf(Command.Suppress.class, ((ParsedCommand.Valid) parsed).command());
        assertEquals(SuppressionReason.BOUNCE, bounce.reason());
        assertEquals(ReportSource.SMTP, bounce.source());
        assertEquals(Optional.of("550 5.1.1 <bob@example.com>: mailbox unavailable"), bounce.diagnostic());
        assertEquals("bounce-smtp-run-1-7", bounce.commandId(), "the same on every attempt of the email");
    }

    @Test
    void aLongReplyIsCutToWhatADiagnosticMayHold() {
        reports(Optional.of(new KafkaPublisher(producer))).addressGone(THIRD, "550 " + "x".repeat(2000), DELIVERY);

        assertEquals(
                List.of(),
                ContractSchemas.violations(
                        Payload.COMMAND, text(producer.history().get(0).value())));
    }

    @Test
    void anEmailGivenUpIsAnEventAMetricAndOneWarnLine() {
        reports(Optional.of(new KafkaPublisher(producer)))
                .emailGivenUp(THIRD, "554 5.7.1 Message rejected as spam", DELIVERY, 5);

        ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertEquals(SETTINGS.topics().events(), sent.topic());
        assertEquals("bob@example.com", text(sent.key()));
        assertEquals(
                "{\"commandId\":\"given-up-run-1-7\",\"type\":\"email\",\"email\":\"bob@example.com\","
                        + "\"outcome\":\"GIVEN_UP\",\"count\":3,\"reason\":\"554 5.7.1 Message rejected as spam\","
                        + "\"at\":\"2026-11-24T23:10:15.200Z\"}",
                text(sent.value()));
        assertEquals(List.of(), ContractSchemas.violations(Payload.EVENT, text(sent.value())));
        assertTrue(metrics.scrape().contains("subscriptions_emails_given_up_total 1.0"), metrics.scrape());
        assertEquals(1, logs.list.size());
        assertEquals(Level.WARN, logs.list.get(0).getLevel());
        assertEquals(
                "Email #3 to b***@example.com given up after 5 attempts, each refused for good: 554 5.7.1 Message"
                        + " rejected as spam",
                logs.list.get(0).getFormattedMessage());
    }

    @Test
    void aReportKafkaDoesNotTakeFailsSoThatTheAttemptIsRetriedAndNothingIsLoggedYet() {
        MockProducer<byte[], byte[]> failing =
                new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        WorkerReports reports = reports(Optional.of(new KafkaPublisher(failing)));
        Thread broker = new Thread(() -> {
            org.awaitility.Awaitility.await().until(() -> !failing.history().isEmpty());
            failing.errorNext(new org.apache.kafka.common.errors.NotEnoughReplicasException("not enough replicas"));
        });
        broker.start();

        IllegalStateException failed =
                assertThrows(IllegalStateException.class, () -> reports.emailGivenUp(THIRD, "554 no", DELIVERY, 5));

        assertTrue(failed.getMessage().contains("not enough replicas"), failed.getMessage());
        assertEquals(List.of(), logs.list);
        assertTrue(!metrics.scrape().contains("subscriptions_emails_given_up_total"), "counted once it is recorded");
    }

    @Test
    void withoutKafkaOnlyTheMetricAndTheLineRemain() {
        WorkerReports reports = reports(Optional.empty());

        reports.addressGone(THIRD, "550 5.1.1 gone", DELIVERY);
        reports.emailGivenUp(THIRD, "554 no", DELIVERY, 5);

        assertEquals(1, logs.list.size());
        assertTrue(metrics.scrape().contains("subscriptions_emails_given_up_total 1.0"));
    }
}
