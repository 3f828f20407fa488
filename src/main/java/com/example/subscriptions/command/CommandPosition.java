package com.example.subscriptions.command;

import com.example.subscriptions.workflow.SendEmailWorkflow;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where a command record sits: the identity of a request, and, within one partition, its place among an email's
 * other commands. Runs carry the position of the record that started them (memo {@code startedBy}) and cancel
 * requests the position of the record that cancelled them (reason {@code unsubscribe <position>}, or {@code bounce}
 * or {@code complaint} for one that ends the run without a goodbye), so that a redelivered record can tell whether it
 * was applied already.
 *
 * <p>Written as {@code topic-partition-offset@topicId}. The topic id (absent when it could not be looked up) tells a
 * topic deleted and created again, whose offsets start again at 0, from the one the position was taken in. Topic
 * names and ids cannot hold anything that makes this ambiguous when read from the end.
 *
 * @param topicId the id Kafka gave the topic, or null if unknown
 */
public record CommandPosition(String topic, String topicId, int partition, long offset) {

    /** The first words of the cancel reasons commands give: what cancelled the run. */
    private static final Set<String> CANCELLING_COMMANDS =
            Set.of(Command.Unsubscribe.TYPE, SendEmailWorkflow.BOUNCE_CANCEL, SendEmailWorkflow.COMPLAINT_CANCEL);

    public static CommandPosition of(ConsumerRecord<?, ?> record, String topicId) {
        return new CommandPosition(record.topic(), topicId, record.partition(), record.offset());
    }

    public static Optional<CommandPosition> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int at = text.lastIndexOf('@');
        String topicId = at < 0 ? null : text.substring(at + 1);
        String coordinates = at < 0 ? text : text.substring(0, at);
        int offsetDash = coordinates.lastIndexOf('-');
        int partitionDash = offsetDash < 1 ? -1 : coordinates.lastIndexOf('-', offsetDash - 1);
        if (partitionDash < 1 || topicId != null && topicId.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CommandPosition(
                    coordinates.substring(0, partitionDash),
                    topicId,
                    Integer.parseInt(coordinates.substring(partitionDash + 1, offsetDash)),
                    Long.parseLong(coordinates.substring(offsetDash + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The position a cancel reason of ours names ({@code unsubscribe|bounce|complaint <position>}). */
    public static Optional<CommandPosition> fromCancelReason(String reason) {
        if (reason == null) {
            return Optional.empty();
        }
        String[] words = reason.split(" ", 2);
        return words.length == 2 && CANCELLING_COMMANDS.contains(words[0]) ? parse(words[1]) : Optional.empty();
    }

    /** The cancel reason of an unsubscribe at this position. */
    public String cancelReason() {
        return cancelReason(Command.Unsubscribe.TYPE);
    }

    /** The cancel reason of a command of this type at this position, {@code <type> <position>}. */
    public String cancelReason(String type) {
        return type + " " + this;
    }

    /** Whether both name the same record. */
    public boolean sameRecord(CommandPosition other) {
        return inSamePartition(other) && offset == other.offset;
    }

    /**
     * Whether this record comes at or before {@code other} in the log. Records of different partitions (or of
     * different incarnations of a topic) have no order: false, so they are treated as new, which is why commands
     * must be keyed by email.
     */
    public boolean atOrBefore(CommandPosition other) {
        return inSamePartition(other) && offset <= other.offset;
    }

    private boolean inSamePartition(CommandPosition other) {
        return topic.equals(other.topic)
                && partition == other.partition
                && (topicId == null || other.topicId == null || topicId.equals(other.topicId));
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "-" + offset + (topicId == null ? "" : "@" + topicId);
    }
}
