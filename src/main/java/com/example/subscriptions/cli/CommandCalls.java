package com.example.subscriptions.cli;

import com.example.subscriptions.command.Outcome;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.core.Utf8;
import com.example.subscriptions.suppression.ReportSource;
import com.example.subscriptions.suppression.SuppressionReason;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The subcommands that send a command keyed by the email and print its event. */
final class CommandCalls {

    private CommandCalls() {}

    /** A command keyed by the email, answered by its event. */
    abstract static class CommandCall extends Cli.Call {

        abstract String type();

        /** The fields of this type beyond type, email and commandId. */
        Map<String, String> fields() {
            return Map.of();
        }

        @Override
        RoundTrip.Result send(Settings settings, RoundTrip roundTrip) {
            String commandId = "cli-" + UUID.randomUUID();
            Map<String, String> command = new LinkedHashMap<>();
            command.put("type", type());
            command.put("email", email.value());
            command.putAll(fields());
            command.put("commandId", commandId);
            return roundTrip.exchange(
                    new ProducerRecord<>(
                            settings.topics().commands(), Utf8.encode(email.value()), Json.toBytes(command)),
                    settings.topics().events(),
                    record -> commandId.equals(commandIdOf(record)));
        }

        @Override
        int exitCode(JsonNode event) {
            return Outcome.REJECTED.name().equals(event.path("outcome").asText()) ? Cli.REFUSED : Cli.OK;
        }

        @Override
        String missing(Settings settings) {
            return "event on " + settings.topics().events() + " (commands role)";
        }

        private static String commandIdOf(ConsumerRecord<byte[], byte[]> record) {
            try {
                return record.value() == null
                        ? null
                        : Json.MAPPER.readTree(record.value()).path("commandId").asText(null);
            } catch (IOException e) {
                return null;
            }
        }
    }

    @Command(
            name = "subscribe",
            mixinStandardHelpOptions = true,
            versionProvider = Cli.Version.class,
            description = "Subscribes EMAIL (starts its subscription workflow) and prints the event. Exits 1 if the"
                    + " address is suppressed.")
    static final class Subscribe extends CommandCall {
        @Override
        String type() {
            return com.example.subscriptions.command.Command.Subscribe.TYPE;
        }

        @Override
        int exitCode(JsonNode event) {
            return Outcome.SUPPRESSED.name().equals(event.path("outcome").asText())
                    ? Cli.REFUSED
                    : super.exitCode(event);
        }
    }

    @Command(
            name = "unsubscribe",
            mixinStandardHelpOptions = true,
            versionProvider = Cli.Version.class,
            description = "Unsubscribes EMAIL (cancels its subscription workflow) and prints the event.")
    static final class Unsubscribe extends CommandCall {
        @Override
        String type() {
            return com.example.subscriptions.command.Command.Unsubscribe.TYPE;
        }
    }

    @Command(
            name = "confirm",
            mixinStandardHelpOptions = true,
            versionProvider = Cli.Version.class,
            description = "Confirms EMAIL's pending subscription (double opt-in), as its confirm link does: the"
                    + " welcome follows. Prints the event (CONFIRMED, NOT_PENDING or NOT_SUBSCRIBED).")
    static final class Confirm extends CommandCall {
        @Override
        String type() {
            return com.example.subscriptions.command.Command.Confirm.TYPE;
        }
    }

    /** A bounce or complaint an operator reports by hand. */
    abstract static class Report extends CommandCall {

        @Option(
                names = "--diagnostic",
                paramLabel = "TEXT",
                description = "What the report said, e.g. the server's reply (at most 1000 characters).")
        String diagnostic;

        @Override
        Map<String, String> fields() {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("source", ReportSource.OPERATOR.wireName());
            if (diagnostic != null) {
                fields.put("diagnostic", diagnostic);
            }
            return fields;
        }
    }

    @Command(
            name = "bounce",
            mixinStandardHelpOptions = true,
            versionProvider = Cli.Version.class,
            description = "Reports by hand that mail to EMAIL bounces for good (source operator): its subscription"
                    + " ends without a goodbye and the address is suppressed. Prints the event.")
    static final class Bounce extends Report {
        @Override
        String type() {
            return SuppressionReason.BOUNCE.wireName();
        }
    }

    @Command(
            name = "complaint",
            mixinStandardHelpOptions = true,
            versionProvider = Cli.Version.class,
            description = "Reports by hand that EMAIL's owner complained (source operator): its subscription ends"
                    + " without a goodbye and the address is suppressed. Prints the event.")
    static final class Complaint extends Report {
        @Override
        String type() {
            return SuppressionReason.COMPLAINT.wireName();
        }
    }

    @Command(
            name = "unsuppress",
            mixinStandardHelpOptions = true,
            versionProvider = Cli.Version.class,
            description = "Lifts EMAIL's suppression, so that it may subscribe again (starts nothing). Prints the"
                    + " event.")
    static final class Unsuppress extends CommandCall {
        @Override
        String type() {
            return com.example.subscriptions.command.Command.Unsuppress.TYPE;
        }
    }

    @Command(
            name = "erase",
            mixinStandardHelpOptions = true,
            versionProvider = Cli.Version.class,
            description = "Erases EMAIL from Temporal (a request to be forgotten): its running subscription ends"
                    + " without a goodbye and every run of it is deleted. Prints the event (ERASED or NOT_FOUND).")
    static final class Erase extends CommandCall {
        @Override
        String type() {
            return com.example.subscriptions.command.Command.Erase.TYPE;
        }
    }
}
