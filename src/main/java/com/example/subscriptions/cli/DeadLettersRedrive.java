package com.example.subscriptions.cli;

import com.example.subscriptions.config.Settings;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code subscriptions dead-letters redrive}: re-publishes dead letters to their original topic. A dry run unless
 * {@code --execute}. With it, each poll's letters are published in one Kafka transaction together with the redrive
 * group's new position in the dead letter topic: a letter is published and passed, or neither, so a redrive that
 * stops anywhere resumes where it stopped and never publishes a letter twice.
 */
@Command(
        name = "redrive",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = {
            "Re-publishes the dead letters not redriven yet to their original topic, with their key, value and"
                    + " headers (the dead letter's own headers taken off, dlt-redrive-count one higher), once the"
                    + " cause that put them there is fixed.",
            "A dry run unless --execute: it lists what it would do and publishes nothing.",
            "Each letter is taken once: the topic's redrive position (consumer group TOPIC-redrive) moves in the same"
                    + " transaction as the publishing, so a redrive stopped anywhere resumes where it stopped. A"
                    + " letter redriven --max-redrives times already stays where it is."
        })
final class DeadLettersRedrive extends OperatorCall {

    @ParentCommand
    DeadLettersCommand group;

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            description = "The dead letter topic (default: topics.commands-dlt).")
    String topic;

    @Option(
            names = "--until",
            paramLabel = "TIME",
            converter = StartingPoint.Converter.class,
            description = "Only letters dead-lettered up to TIME (an ISO-8601 time, or a duration ago such as 10m):"
                    + " the ones after stay pending, e.g. those that failed after the fix.")
    StartingPoint until;

    @Option(
            names = "--max-redrives",
            paramLabel = "N",
            defaultValue = "3",
            description = "Leave a letter already redriven N times (default: ${DEFAULT-VALUE}): a record that can"
                    + " never succeed stops going round.")
    int maxRedrives;

    @Option(names = "--execute", description = "Publish. Without it, a dry run.")
    boolean execute;

    @Override
    Cli cli() {
        return group.cli;
    }

    @Override
    int run(Settings settings, OperatorClients kafka) throws Exception {
        String dlt = topic == null ? settings.topics().commandsDeadLetter() : topic;
        String redriveGroup = DeadLettersCommand.redriveGroup(dlt);
        if (maxRedrives < 1) {
            throw new Stop(Cli.USAGE, "--max-redrives must be at least 1");
        }
        if (until != null && !(until instanceof StartingPoint.At)) {
            throw new Stop(Cli.USAGE, "--until takes a time or a duration ago");
        }
        try (Admin admin = kafka.admin();
                KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(redriveGroup)) {
            List<TopicPartition> partitions = kafka.partitions(admin, dlt);
            DeadLetterReader reader = new DeadLetterReader(consumer, kafka.timeout());
            Map<TopicPartition, Long> from = reader.committedOrBeginning(partitions);
            Map<TopicPartition, Long> to = until instanceof StartingPoint.At at
                    ? reader.endsAt(partitions, at.time())
                    : reader.ends(partitions);
            out().println((execute ? "Redrive of " : "Dry run of a redrive of ") + dlt + " (position: group "
                    + redriveGroup + "), letters up to " + (until instanceof StartingPoint.At at ? at.time() : "now")
                    + ":");
            Tally tally = new Tally();
            if (execute) {
                try (KafkaProducer<byte[], byte[]> producer = kafka.transactionalProducer(redriveGroup)) {
                    producer.initTransactions();
                    reader.read(from, to, records -> publish(producer, consumer, records, tally));
                } catch (ProducerFencedException e) {
                    throw new Stop(
                            Cli.KAFKA_FAILED,
                            "Another redrive of " + dlt + " started meanwhile and took over" + " (transactional id "
                                    + redriveGroup + "); this one stopped, what it committed stands");
                }
            } else {
                reader.read(
                        from,
                        to,
                        records -> records.forEach(record -> {
                            Decision decision = decide(record, tally, false);
                            out().println(decision.line());
                        }));
            }
            out().println(tally.summary(execute, dlt));
            return Cli.OK;
        }
    }

    private void publish(
            KafkaProducer<byte[], byte[]> producer,
            KafkaConsumer<byte[], byte[]> consumer,
            List<ConsumerRecord<byte[], byte[]>> records,
            Tally tally) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Tally batch = new Tally();
        List<String> lines = new java.util.ArrayList<>();
        producer.beginTransaction();
        try {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                Decision decision = decide(record, batch, true);
                lines.add(decision.line());
                if (decision.letter() != null) {
                    producer.send(decision.letter().redriven());
                }
                next.put(
                        new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
            }
            producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
            producer.commitTransaction();
            // Said only once it happened: a failed transaction published nothing of these.
            lines.forEach(out()::println);
            tally.add(batch);
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException e) {
            producer.abortTransaction();
            throw new Stop(
                    Cli.KAFKA_FAILED,
                    "Publishing failed, the last " + records.size() + " letters were not"
                            + " redriven and stay pending (" + e.getMessage() + "); " + tally.redriven.get()
                            + " were redriven before");
        }
    }

    /** A letter to redrive (null: to leave), and the line that says so. */
    private record Decision(DeadLetter letter, String line) {}

    private Decision decide(ConsumerRecord<byte[], byte[]> record, Tally tally, boolean executing) {
        DeadLetter letter = new DeadLetter(record);
        if (letter.originalTopic() == null) {
            tally.left.incrementAndGet();
            return new Decision(
                    null,
                    "  left " + letter.position()
                            + ": no dlt-original-topic header, not a dead letter of this service");
        }
        if (letter.redriveCount() >= maxRedrives) {
            tally.left.incrementAndGet();
            return new Decision(
                    null,
                    "  left " + letter.describe() + "  (redriven " + letter.redriveCount() + " times already,"
                            + " --max-redrives " + maxRedrives + ")");
        }
        tally.redriven.incrementAndGet();
        return new Decision(
                letter,
                (executing ? "  redriven " : "  would redrive ") + letter.describe() + "  -> " + letter.originalTopic()
                        + " (redrive " + (letter.redriveCount() + 1) + ")");
    }

    /** What a run did. */
    private static final class Tally {
        final AtomicInteger redriven = new AtomicInteger();
        final AtomicInteger left = new AtomicInteger();

        void add(Tally other) {
            redriven.addAndGet(other.redriven.get());
            left.addAndGet(other.left.get());
        }

        String summary(boolean execute, String dlt) {
            int total = redriven.get() + left.get();
            if (total == 0) {
                return "Nothing to redrive in " + dlt + ": no dead letter after the redrive position.";
            }
            return execute
                    ? "Redrove " + redriven.get() + " and left " + left.get() + " of " + total + " dead letters at "
                            + Instant.now() + "; the next redrive of " + dlt + " starts after them."
                    : total + " dead letters: " + redriven.get() + " to redrive, " + left.get() + " to leave. Nothing"
                            + " was published: add --execute to redrive them.";
        }
    }
}
