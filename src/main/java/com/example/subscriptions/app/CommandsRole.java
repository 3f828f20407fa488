package com.example.subscriptions.app;

import com.example.subscriptions.command.AssignmentGate;
import com.example.subscriptions.command.CommandAppliers;
import com.example.subscriptions.command.CommandHandler;
import com.example.subscriptions.command.CommandParser;
import com.example.subscriptions.command.Outcome;
import com.example.subscriptions.command.SubscriptionEvent;
import com.example.subscriptions.command.TemporalSubscriptions;
import com.example.subscriptions.config.CommandSettings;
import com.example.subscriptions.suppression.KafkaSuppressionList;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands role: consumes {@code subscription-commands}, calls Temporal and the suppression list, publishes one
 * event per command.
 */
final class CommandsRole {

    private static final Logger log = LoggerFactory.getLogger(CommandsRole.class);
    /** How long a command waits for the suppression list to catch up after an assignment before it is retried. */
    private static final Duration SUPPRESSIONS_MAX_WAIT = Duration.ofSeconds(10);

    private CommandsRole() {}

    static void start(Wiring wiring) {
        CommandSettings commands = wiring.settings.commands();
        ExecutorService temporalCalls = wiring.boundedPool("temporal-commands", commands.maxInFlight());
        TemporalSubscriptions started = new TemporalSubscriptions(
                wiring.temporal.client(),
                wiring.subscriberIds,
                wiring.settings.temporal().workflowType(),
                wiring.settings.temporal().taskQueue(),
                commands.interval(),
                commands.emailsPerRun(),
                wiring.tracing.propagating(temporalCalls));
        TemporalSubscriptions subscriptions = commands.doubleOptIn()
                ? started.withDoubleOptIn(commands.confirmWithin(), commands.confirmResendAfter())
                : started;
        KafkaSuppressionList suppressions = suppressionList(wiring);
        CommandHandler handler = new CommandHandler(
                new CommandParser(commands.maxRecordBytes()),
                CommandAppliers.of(subscriptions, suppressions, wiring.subscriberIds, Clock.systemUTC()),
                wiring.kafka().publisher(),
                wiring.settings.topics().events(),
                Clock.systemUTC(),
                event -> handled(wiring, event),
                new AssignmentGate(wiring.kafka().topicCatalog(), suppressions, SUPPRESSIONS_MAX_WAIT),
                wiring.tracing::inCurrentContext);
        wiring.startConsumer(
                "commands",
                wiring.settings.topics().commands(),
                wiring.settings.topics().commandsDeadLetter(),
                commands.groupId(),
                commands.maxInFlight(),
                handler);
    }

    /**
     * The suppression list, read whole before the role is ready; stopped after the consumer, whose last commands may
     * still write to it.
     */
    private static KafkaSuppressionList suppressionList(Wiring wiring) {
        String topic = wiring.settings.topics().suppressions();
        SuppressionTopic.checkCompacted(wiring.kafka().admin(), topic);
        KafkaSuppressionList suppressions = wiring.onStop(new KafkaSuppressionList(
                        topic,
                        wiring.kafkaClients.readerConsumer("subscriptions-suppressions"),
                        wiring.kafka().publisher())
                .start());
        wiring.metrics.suppressions(suppressions::size);
        wiring.readyWhen("suppressions", suppressions.loaded()::isDone);
        suppressions.loaded().thenRun(() -> log.info("Suppression list read: {} entries", suppressions.size()));
        return suppressions;
    }

    private static void handled(Wiring wiring, SubscriptionEvent event) {
        wiring.metrics.command(event);
        // A rejected command is logged once, with its reason, when the loop dead-letters it.
        if (event.outcome() != Outcome.REJECTED) {
            log.info(
                    "{} {}: {} ({})",
                    event.type(),
                    wiring.emailMask.apply(event.email()),
                    event.outcome(),
                    event.commandId());
        }
    }
}
