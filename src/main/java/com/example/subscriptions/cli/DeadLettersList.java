package com.example.subscriptions.cli;

import com.example.subscriptions.config.Settings;
import com.example.subscriptions.core.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code subscriptions dead-letters list}: one line per dead letter, with its reason and whether it awaits a redrive. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = "Lists the dead letters of a topic: where each is, when it came, its key, where it came from,"
                + " how often it was redriven, whether a redrive would take it (pending) and why it is there.")
final class DeadLettersList extends OperatorCall {

    @ParentCommand
    DeadLettersCommand group;

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            description = "The dead letter topic (default: topics.commands-dlt; the responder's is"
                    + " topics.details-requests-dlt).")
    String topic;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            converter = StartingPoint.Converter.class,
            description = "Only letters dead-lettered at or after TIME: an ISO-8601 time (2026-11-24T10:00:00Z) or a"
                    + " duration ago (PT1H, 90m, 2d). Default: all.")
    StartingPoint since;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Print at most N letters (all are counted; default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "One JSON object per letter instead of a line of text.")
    boolean json;

    @Override
    Cli cli() {
        return group.cli;
    }

    @Override
    int run(Settings settings, OperatorClients kafka) throws Exception {
        String dlt = topic == null ? settings.topics().commandsDeadLetter() : topic;
        String redriveGroup = DeadLettersCommand.redriveGroup(dlt);
        try (Admin admin = kafka.admin();
                KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(redriveGroup)) {
            List<TopicPartition> partitions = kafka.partitions(admin, dlt);
            DeadLetterReader reader = new DeadLetterReader(consumer, kafka.timeout());
            Map<TopicPartition, Long> redrivePosition = reader.committedOrBeginning(partitions);
            Map<TopicPartition, Long> from;
            if (since instanceof StartingPoint.At at) {
                from = reader.since(partitions, at.time());
            } else if (since == null || since instanceof StartingPoint.Earliest) {
                from = consumer.beginningOffsets(partitions);
            } else {
                throw new Stop(Cli.USAGE, "--since takes a time or a duration ago, not an offset");
            }
            AtomicInteger count = new AtomicInteger();
            AtomicInteger pending = new AtomicInteger();
            reader.read(
                    from,
                    reader.ends(partitions),
                    records -> records.forEach(record -> {
                        DeadLetter letter = new DeadLetter(record);
                        boolean awaitsRedrive =
                                record.offset() >= redrivePosition.get(new TopicPartition(dlt, record.partition()));
                        count.incrementAndGet();
                        if (awaitsRedrive) {
                            pending.incrementAndGet();
                        }
                        if (count.get() <= limit) {
                            if (json) {
                                Map<String, Object> fields = letter.toMap();
                                fields.put("pending", awaitsRedrive);
                                out().println(new String(Json.toBytes(fields), StandardCharsets.UTF_8));
                            } else {
                                out().println((awaitsRedrive ? "pending  " : "handled  ") + letter.describe());
                            }
                        }
                    }));
            if (!json) {
                out().println(count.get() + " dead letter" + (count.get() == 1 ? "" : "s") + " in " + dlt
                        + (since instanceof StartingPoint.At at ? " since " + at.time() : "")
                        + (count.get() > limit ? " (" + limit + " shown)" : "") + "; " + pending.get()
                        + " pending (after the redrive position of group " + redriveGroup + ")"
                        + " at " + Instant.now());
            }
            return Cli.OK;
        }
    }
}
