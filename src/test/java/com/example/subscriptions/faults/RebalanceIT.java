package com.example.subscriptions.faults;

import static com.example.subscriptions.faults.FaultChecks.with;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.devstack.ServiceJvm;
import com.example.subscriptions.it.ServiceFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two commands instances share the partitions while a stream of commands runs: one leaves cleanly and later rejoins,
 * then the other (in a JVM of its own) crashes. Nothing is lost, nothing applied twice.
 *
 * <p>Size: {@code -Dfaults.commands} (default 1,000 over half as many emails).
 */
class RebalanceIT {

    private static final Logger log = LoggerFactory.getLogger(RebalanceIT.class);

    private static final int PARTITIONS = 6;
    private static final int COMMANDS = Integer.getInteger("faults.commands", 1_000);
    private static final int EMAILS = COMMANDS / 2;
    /** At most about twelve seconds of stream, and never far ahead of the service, so every fault lands in it. */
    private static final int PER_SECOND = Math.max(50, COMMANDS / 12);

    private static final int MAX_AHEAD = Math.max(100, COMMANDS / 5);
    private static final long SEED = 20_261_125L;

    private final ServiceFixture fixture = new ServiceFixture();
    private Service worker;
    private Service inProcess;
    private Service rejoined;
    private ServiceJvm child;

    @BeforeAll
    static void startBackends() {
        FaultChecks.startBackends();
    }

    @AfterEach
    void stop() {
        if (child != null) {
            child.close();
        }
        for (Service service : new Service[] {rejoined, inProcess, worker}) {
            if (service != null) {
                service.close();
            }
        }
        fixture.close();
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void membersLeavingRejoiningAndCrashingMidStreamLoseNothingAndApplyNothingTwice() {
        Map<String, String> settings = FaultChecks.settings(
                fixture, PARTITIONS, Map.of("kafka.session.timeout.ms", "6000", "kafka.heartbeat.interval.ms", "1000"));
        Map<String, String> commandsRole = with(settings, "roles", "commands");
        String group = settings.get("commands.group-id");
        FaultChecks.createTopics(fixture, PARTITIONS);
        SentEmails sent = new SentEmails();
        worker = Service.start(Settings.of(with(settings, "roles", "worker")), sent);
        List<Command> commands = CommandStreams.random("rebalance-" + fixture.suffix, EMAILS, COMMANDS, SEED);
        Duration step = Duration.ofSeconds(60);

        child = ServiceJvm.with(commandsRole).roles("commands").start();
        inProcess = Service.start(Settings.of(commandsRole));
        ConsumerGroups.awaitMembers(group, 2, step);

        try (EventLog events = new EventLog(fixture.topics);
                Traffic traffic = new Traffic(fixture.topics);
                Traffic.Pace stream = traffic.stream(commands, PER_SECOND, events::size, MAX_AHEAD)) {
            events.awaitSize(COMMANDS * 15 / 100, step, "the child service exited", () -> !child.isAlive());
            int producedAtLeave = stream.produced();
            inProcess.close();
            inProcess = null;
            ConsumerGroups.awaitMembers(group, 1, step);

            events.awaitSize(COMMANDS * 30 / 100, step, "the child service exited", () -> !child.isAlive());
            int producedAtRejoin = stream.produced();
            rejoined = Service.start(Settings.of(commandsRole));
            ConsumerGroupDescription shared = ConsumerGroups.awaitMembers(group, 2, step);

            events.awaitSize(COMMANDS * 50 / 100, step, "the child service exited", () -> !child.isAlive());
            int producedAtCrash = stream.produced();
            int eventsAtCrash = events.poll();
            long repeatedBeforeCrash = commands.stream()
                    .filter(c -> events.outcomes(c.commandId()).size() > 1)
                    .count();
            child.kill();
            assertTrue(producedAtCrash < COMMANDS, "crashed after the stream ended");

            events.awaitAll(commands, 1, Duration.ofSeconds(90));
            stream.awaitDone(COMMANDS, step);
            var summary = Invariant.assertInvariant(commands, events, fixture.client(), sent, Duration.ofSeconds(30));
            log.info(
                    "Left after {} produced, rejoined after {} ({}), crashed after {} produced and {} events "
                            + "({} commands with more than one event by then); in the end: {}",
                    producedAtLeave,
                    producedAtRejoin,
                    shared.members().stream()
                            .map(m -> m.assignment().topicPartitions().size())
                            .toList(),
                    producedAtCrash,
                    eventsAtCrash,
                    repeatedBeforeCrash,
                    summary);
        }
    }
}
