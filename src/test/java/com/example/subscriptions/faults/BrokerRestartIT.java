package com.example.subscriptions.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.devstack.EmbeddedKafkaBroker;
import com.example.subscriptions.devstack.TestTemporal;
import com.example.subscriptions.it.KafkaProbe;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker goes away for a few seconds under a steady stream of commands and details requests, then comes back
 * on the same port with the same data: the same service object carries on by itself, applies every command once
 * in order, and answers every request.
 */
class BrokerRestartIT {

    private static final Logger log = LoggerFactory.getLogger(BrokerRestartIT.class);

    /** Commands the stream sends while the broker is down: the outage lasts until the service has met them. */
    private static final int SENT_DURING_OUTAGE = 20;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void theSameServiceRidesOutABrokerRestartWithNothingLost() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> topics = KafkaProbe.topicsFor(suffix);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null, false, Map.of())) {
            Map<String, String> values = new HashMap<>(topics);
            values.put("kafka.bootstrap.servers", broker.bootstrapServers());
            values.put("temporal.address", TestTemporal.address());
            values.put("temporal.task-queue", "email_subscription-" + suffix);
            values.put("commands.group-id", "commands-" + suffix);
            values.put("details.group-id", "details-" + suffix);
            values.put("topics.partitions", "3");
            values.put("subscription.interval", "PT1H");
            values.put("shutdown.timeout", "PT10S");
            values.put("server.port", "0");
            values.put("unsubscribe.port", "0");
            WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget(TestTemporal.address())
                    .build());
            SentEmails sent = new SentEmails();
            try (Service service = Service.start(Settings.of(values), sent);
                    Traffic traffic = new Traffic(broker.bootstrapServers(), topics);
                    EventLog events = new EventLog(broker.bootstrapServers(), topics);
                    Traffic.Pace stream = traffic.stream(
                            CommandStreams.sequences("fault-" + suffix), Duration.ofMillis(250), 2, true)) {
                FaultChecks.await(Duration.ofSeconds(60)).alias("service ready").until(service::ready);
                events.awaitSize(10, Duration.ofSeconds(60), null, null);

                long stopStart = System.nanoTime();
                broker.stop();
                int sentBeforeOutage = traffic.sent().size();
                log.info("Broker stopped in {} ms; {} commands sent so far", millisSince(stopStart), sentBeforeOutage);
                // Down until the service has noticed and the stream has gone on meanwhile.
                FaultChecks.await(Duration.ofSeconds(30))
                        .alias("the service notices the broker is gone while commands are sent")
                        .pollInterval(Duration.ofMillis(500))
                        .until(() ->
                                !service.ready() && traffic.sent().size() - sentBeforeOutage >= SENT_DURING_OUTAGE);
                long restartStart = System.nanoTime();
                broker.restart();
                long restartedAt = System.nanoTime();
                int sentDuringOutage = traffic.sent().size() - sentBeforeOutage;
                log.info(
                        "Broker down {} ms (restart took {} ms); {} commands sent meanwhile",
                        millisSince(stopStart),
                        TimeUnit.NANOSECONDS.toMillis(restartedAt - restartStart),
                        sentDuringOutage);

                // The stream goes on a little after the restart, then stops; the test's own sends all landed.
                FaultChecks.await(Duration.ofSeconds(30))
                        .alias("commands sent after the restart")
                        .until(() -> traffic.sentAfter(restartedAt) >= 20);
                stream.stop();

                events.awaitAll(traffic.commands(), traffic.requests(), 1, Duration.ofSeconds(120));
                log.info("Everything evented and answered {} ms after the restart", millisSince(restartedAt));
                FaultChecks.await(Duration.ofSeconds(60))
                        .alias("/health/ready back to UP")
                        .pollInterval(Duration.ofMillis(500))
                        .until(service::ready);
                // Committing recovered too: both groups' offsets reach the end of their topics.
                try (Admin admin = ConsumerGroups.admin(broker.bootstrapServers())) {
                    for (String[] group : new String[][] {
                        {"commands-" + suffix, topics.get("topics.commands")},
                        {"details-" + suffix, topics.get("topics.details-requests")}
                    }) {
                        Map<TopicPartition, Long> end = ConsumerGroups.endOffsets(admin, group[1]);
                        FaultChecks.await(Duration.ofSeconds(30))
                                .alias("everything committed for " + group[0])
                                .untilAsserted(() -> assertEquals(end, ConsumerGroups.committed(admin, group[0])));
                    }
                }

                Invariant.Summary summary = Invariant.assertInvariant(
                        traffic.commands(),
                        traffic.requests(),
                        events,
                        WorkflowClient.newInstance(stubs),
                        sent,
                        Duration.ofSeconds(60));
                log.info("Broker restart: {}", summary);
                assertTrue(summary.commands() > sentDuringOutage, "commands flowed before, during and after");
            } finally {
                stubs.shutdownNow();
            }
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
