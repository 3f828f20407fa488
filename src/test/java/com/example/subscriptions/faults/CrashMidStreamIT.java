package com.example.subscriptions.faults;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.devstack.ServiceJvm;
import com.example.subscriptions.it.ServiceFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands role, in a JVM of its own, is killed (SIGKILL: nothing drained, committed or left) while a backlog of
 * commands is in flight; a new instance in the same group finishes them. Every command is applied, none twice.
 *
 * <p>Size: {@code -Dfaults.commands} (default 2,000, the size, over half as many emails).
 */
class CrashMidStreamIT {

    private static final Logger log = LoggerFactory.getLogger(CrashMidStreamIT.class);

    private static final int PARTITIONS = 6;
    private static final int COMMANDS = Integer.getInteger("faults.commands", 2_000);
    private static final int EMAILS = COMMANDS / 2;
    /** "Some hundreds" of events, a fifth of the stream: the crash lands with most of it still to do. */
    private static final int EVENTS_BEFORE_CRASH = Math.max(100, COMMANDS / 5);

    private static final long SEED = 20_261_124L;

    private final ServiceFixture fixture = new ServiceFixture();
    private Service worker;
    private Service successor;
    private ServiceJvm crashing;

    @BeforeAll
    static void startBackends() {
        FaultChecks.startBackends();
    }

    @AfterEach
    void stop() {
        if (crashing != null) {
            crashing.close();
        }
        if (successor != null) {
            successor.close();
        }
        if (worker != null) {
            worker.close();
        }
        fixture.close();
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void anInstanceKilledMidStreamLeavesNothingUndoneAndNothingDoneTwice() {
        // A dead member keeps its partitions until its session times out: 6 s, the broker's minimum.
        Map<String, String> settings = FaultChecks.settings(
                fixture, PARTITIONS, Map.of("kafka.session.timeout.ms", "6000", "kafka.heartbeat.interval.ms", "1000"));
        String group = settings.get("commands.group-id");
        FaultChecks.createTopics(fixture, PARTITIONS);
        SentEmails sent = new SentEmails();
        worker = Service.start(Settings.of(FaultChecks.with(settings, "roles", "worker")), sent);
        List<Command> commands = CommandStreams.random("crash-" + fixture.suffix, EMAILS, COMMANDS, SEED);

        try (EventLog events = new EventLog(fixture.topics);
                Traffic traffic = new Traffic(fixture.topics)) {
            traffic.send(commands);

            crashing = ServiceJvm.with(FaultChecks.with(settings, "roles", "commands"))
                    .roles("commands")
                    .start();
            events.awaitSize(
                    EVENTS_BEFORE_CRASH, Duration.ofSeconds(60), "the child service exited", () -> !crashing.isAlive());
            crashing.kill();
            int eventsAtCrash = events.poll();
            long committedAtCrash = ConsumerGroups.committedTotal(group);
            assertTrue(eventsAtCrash < COMMANDS, "killed too late to be mid-stream: " + eventsAtCrash + " events");
            assertFalse(crashing.output().contains("offsets committed"), "the child stopped cleanly");
            log.info(
                    "Killed the commands instance after {} of {} events, {} offsets committed",
                    eventsAtCrash,
                    COMMANDS,
                    committedAtCrash);

            successor = Service.start(Settings.of(FaultChecks.with(settings, "roles", "commands")));
            events.awaitAll(commands, 1, Duration.ofSeconds(90));

            var summary = Invariant.assertInvariant(commands, events, fixture.client(), sent, Duration.ofSeconds(30));
            log.info("After the crash: {}", summary);
        }
    }
}
