package com.example.subscriptions.faults;

import static com.example.subscriptions.faults.Command.SUBSCRIBE;
import static com.example.subscriptions.faults.Command.UNSUBSCRIBE;
import static com.example.subscriptions.faults.FaultChecks.with;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.it.ServiceFixture;
import java.time.Duration;
import java.util.ArrayList;
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
 * Subscribe/unsubscribe sequences are applied, then the whole log is delivered again (the group's offsets rewound to
 * the beginning while the service is stopped, as an operator or a lost offsets topic would). Every email ends as its
 * last command says, and the redelivery sends no email: the history implies one welcome per subscription started
 * and one goodbye per subscription cancelled, whatever the number of deliveries.
 */
class RedeliveryOrderingIT {

    private static final Logger log = LoggerFactory.getLogger(RedeliveryOrderingIT.class);

    private static final int PARTITIONS = 6;
    private static final String S = SUBSCRIBE;
    private static final String U = UNSUBSCRIBE;
    /** Each email gets one of these; what a replay could get wrong is in the unsubscribes and resubscribes. */
    private static final List<List<String>> PATTERNS = List.of(
            List.of(S),
            List.of(S, S),
            List.of(S, U),
            List.of(S, U, S),
            List.of(S, U, S, U),
            List.of(U),
            List.of(U, S),
            List.of(S, U, U),
            List.of(S, S, U, S, U, S));

    private static final int EMAILS_PER_PATTERN = Integer.getInteger("faults.emails-per-pattern", 25);
    private static final long SEED = 20_261_126L;

    private final ServiceFixture fixture = new ServiceFixture();
    private Service worker;
    private Service commandsRole;

    @BeforeAll
    static void startBackends() {
        FaultChecks.startBackends();
    }

    @AfterEach
    void stop() {
        if (commandsRole != null) {
            commandsRole.close();
        }
        if (worker != null) {
            worker.close();
        }
        fixture.close();
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void replayingTheWholeLogEndsAsTheLastCommandsSay() {
        Map<String, String> settings = FaultChecks.settings(fixture, PARTITIONS, Map.of());
        String group = settings.get("commands.group-id");
        FaultChecks.createTopics(fixture, PARTITIONS);
        SentEmails sent = new SentEmails();
        worker = Service.start(Settings.of(with(settings, "roles", "worker")), sent);
        List<List<String>> sequences = new ArrayList<>();
        for (int i = 0; i < EMAILS_PER_PATTERN; i++) {
            sequences.addAll(PATTERNS);
        }
        List<Command> commands = CommandStreams.interleave("replay-" + fixture.suffix, sequences, SEED);
        Duration step = Duration.ofSeconds(60);

        try (EventLog events = new EventLog(fixture.topics);
                Traffic traffic = new Traffic(fixture.topics)) {
            traffic.send(commands);
            commandsRole = Service.start(Settings.of(with(settings, "roles", "commands")));
            events.awaitAll(commands, 1, step);
            var first = Invariant.assertInvariant(commands, events, fixture.client(), sent, step);
            commandsRole.close();
            commandsRole = null;

            ConsumerGroups.rewind(group, fixture.topic("commands"), PARTITIONS, step);
            commandsRole = Service.start(Settings.of(with(settings, "roles", "commands")));
            events.awaitAll(commands, 2, step);

            var replayed = Invariant.assertInvariant(commands, events, fixture.client(), sent, step);
            log.info("Applied: {}; replayed: {}", first, replayed);
            assertEquals(first.runs(), replayed.runs(), "the replay started or restarted runs");
            assertEquals(first.emailsSent(), replayed.emailsSent(), "the replay sent emails");
        }
    }
}
