package com.example.subscriptions.it;

import static com.example.subscriptions.faults.FaultChecks.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.devstack.ServiceJvm;
import com.example.subscriptions.devstack.TestKafka;
import com.example.subscriptions.faults.Command;
import com.example.subscriptions.faults.ConsumerGroups;
import com.example.subscriptions.faults.EventLog;
import com.example.subscriptions.faults.FaultChecks;
import com.example.subscriptions.faults.Invariant;
import com.example.subscriptions.faults.SentEmails;
import com.example.subscriptions.faults.Traffic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged service, run as an operator runs it ({@code java -jar}, settings from the environment), gets SIGTERM
 * while commands are running and others wait behind them: the running ones finish, publish their events and are
 * committed; the waiting ones are neither started nor committed, and the instance that takes over applies them; the
 * process exits 0. Checked on the events and the committed offsets.
 *
 * <p>What keeps the commands running is the worker: it holds the goodbye emails of cancelled subscriptions, and a
 * subscribe of an email whose subscription is saying goodbye waits for it to end.
 */
class SigtermIT {

    private static final int EMAILS = 12;
    private static final int PARTITIONS = 3;
    private static final Duration STEP = Duration.ofSeconds(60);
    /** Below the {@code send_email} activity's 10 s timeout, and the subscribe's 10 s wait for a goodbye to end. */
    private static final Duration LONGEST_HOLD = Duration.ofSeconds(8);

    @BeforeAll
    static void startBackends() {
        FaultChecks.startBackends();
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    @SuppressWarnings("try") // the worker and the successor only have to run while the test does; the try stops them
    void sigtermFinishesWhatRunsCommitsItLeavesWhatWaitsAndExitsZero() throws Exception {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "subscriptions.jar");
        ServiceFixture fixture = new ServiceFixture();
        Map<String, String> settings = FaultChecks.settings(fixture, PARTITIONS, Map.of("shutdown.timeout", "PT30S"));
        FaultChecks.createTopics(fixture, PARTITIONS);
        String prefix = "sigterm-" + fixture.suffix;
        SentEmails sent = new SentEmails();
        try (fixture;
                Service worker = Service.start(Settings.of(with(settings, "roles", "worker")), sent);
                Traffic traffic = new Traffic(fixture.topics);
                EventLog events = new EventLog(fixture.topics);
                Admin admin = ConsumerGroups.admin(TestKafka.bootstrapServers());
                ServiceJvm service = ServiceJvm.with(settings)
                        .jar(jar)
                        .roles("commands", "responder")
                        .start()) {
            service.awaitReady(STEP);
            List<Command> subscribes = commands(prefix, Command.SUBSCRIBE, 0);
            traffic.send(subscribes);
            Traffic.Request request = traffic.requestDetails();
            events.awaitAll(subscribes, List.of(request), 1, STEP);

            // Unsubscribed, with their goodbyes held: every subscription stays open, saying goodbye.
            sent.holdGoodbyes(LONGEST_HOLD);
            List<Command> unsubscribes = commands(prefix, Command.UNSUBSCRIBE, 1);
            traffic.send(unsubscribes);
            events.awaitAll(unsubscribes, 1, STEP);
            FaultChecks.await(STEP).alias("goodbyes held").until(() -> sent.goodbyesHeld() == EMAILS);

            // Subscribed again: each waits for its subscription's goodbye; an unsubscribe waits behind each.
            List<Command> running = commands(prefix, Command.SUBSCRIBE, 2);
            List<Command> waiting = commands(prefix, Command.UNSUBSCRIBE, 3);
            traffic.send(running);
            traffic.send(waiting);
            FaultChecks.await(STEP)
                    .alias("all polled")
                    .until(() -> service.metric("subscriptions_in_flight", "role=\"commands\"") == 2 * EMAILS);

            service.terminate();
            // Released once the service has taken the signal: a goodbye that ended before it would let the records
            // waiting behind it start, as they should while the service runs.
            FaultChecks.await(STEP)
                    .alias("stopping")
                    .until(() -> service.output().contains("Stopping:"));
            assertTrue(sent.releaseGoodbyes(), "a goodbye was held past its limit: SIGTERM came too late to test");
            Optional<Integer> exit = service.awaitExit(STEP);
            assertEquals(Optional.of(0), exit, service::output);

            events.catchUp();
            for (Command command : running) {
                assertEquals(List.of("SUBSCRIBED"), events.outcomes(command.commandId()), () -> "finished " + command);
            }
            for (Command command : waiting) {
                assertEquals(List.of(), events.outcomes(command.commandId()), () -> "started " + command);
            }
            // Committed: exactly up to the first command of each partition that did not finish.
            Map<TopicPartition, Long> end = ConsumerGroups.endOffsets(admin, fixture.topic("commands"));
            Map<Integer, Long> firstUnapplied = events.firstUnapplied(traffic.sent());
            Map<TopicPartition, Long> expected = new HashMap<>();
            end.forEach((partition, offset) -> {
                if (offset > 0) {
                    expected.put(partition, firstUnapplied.getOrDefault(partition.partition(), offset));
                }
            });
            assertEquals(expected, ConsumerGroups.committed(admin, "commands-" + fixture.suffix));
            Map<TopicPartition, Long> requested =
                    new HashMap<>(ConsumerGroups.endOffsets(admin, fixture.topic("details-requests")));
            requested.values().removeIf(offset -> offset == 0);
            assertEquals(requested, ConsumerGroups.committed(admin, "details-" + fixture.suffix));

            try (Service successor = Service.start(Settings.of(with(settings, "roles", "commands")))) {
                events.awaitAll(traffic.commands(), 1, STEP);
                Invariant.assertInvariant(traffic.commands(), traffic.requests(), events, fixture.client(), sent, STEP);
            }
        }
    }

    /** One command of this type for each email; {@code round} tells them apart. */
    private static List<Command> commands(String prefix, String type, int round) {
        return IntStream.range(0, EMAILS)
                .mapToObj(e -> new Command(prefix + "-" + round + "-" + e, type, prefix + "-" + e + "@example.com"))
                .toList();
    }
}
