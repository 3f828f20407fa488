package com.example.subscriptions.app;

import com.example.subscriptions.command.CommandHandler;
import com.example.subscriptions.command.CommandParser;
import com.example.subscriptions.command.Outcome;
import com.example.subscriptions.command.SubscriptionEvent;
import com.example.subscriptions.command.TemporalSubscriptions;
import com.example.subscriptions.config.CommandSettings;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The commands role: consumes {@code subscription-commands}, calls Temporal, publishes one event per command. */
final class CommandsRole {

    private static final Logger log = LoggerFactory.getLogger(CommandsRole.class);

    private CommandsRole() {}

    static void start(Wiring wiring) {
        CommandSettings commands = wiring.settings.commands();
        ExecutorService temporalCalls = wiring.boundedPool("temporal-commands", commands.maxInFlight());
        TemporalSubscriptions subscriptions = new TemporalSubscriptions(
                wiring.temporal.client(),
                wiring.settings.temporal().workflowType(),
                wiring.settings.temporal().taskQueue(),
                commands.interval(),
                commands.emailsPerRun(),
                temporalCalls);
        CommandHandler handler = new CommandHandler(
                new CommandParser(commands.maxRecordBytes()),
                subscriptions,
                wiring.kafka().publisher(),
                wiring.settings.topics().events(),
                Clock.systemUTC(),
                event -> handled(wiring, event),
                wiring.kafka().topicCatalog());
        wiring.startConsumer(
                "commands",
                wiring.settings.topics().commands(),
                wiring.settings.topics().commandsDeadLetter(),
                commands.groupId(),
                commands.maxInFlight(),
                handler);
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
