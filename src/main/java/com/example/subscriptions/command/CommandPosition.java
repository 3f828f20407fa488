package com.example.subscriptions.command;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where a command record sits: the identity of a request, and, within one partition, its place among an email's
 * other commands. Runs carry the position of the record that started them (memo {@code startedBy}) and
 * cancel requests the position of the record that cancelled them (reason {@code unsubscribe <position>}), so that a
 * redelivered record can tell whether it was applied already.
 *
 * <p>Written as {@code topic-partition-offset}; topic names cannot hold anything that makes that ambiguous when read
 * from the end.
 */
public record CommandPosition(String topic, int partition, long offset) {

    private static final String CANCEL_REASON_PREFIX = "unsubscribe ";

    public static CommandPosition of(ConsumerRecord<?, ?> record) {
        return new CommandPosition(record.topic(), record.partition(), record.offset());
    }

    public static Optional<CommandPosition> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int offsetDash = text.lastIndexOf('-');
        int partitionDash = offsetDash < 1 ? -1 : text.lastIndexOf('-', offsetDash - 1);
        if (partitionDash < 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CommandPosition(text.substring(0, partitionDash),
                    Integer.parseInt(text.substring(partitionDash + 1, offsetDash)),
                    Long.parseLong(text.substring(offsetDash + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The position an unsubscribe's cancel reason names, if it is one of ours. */
    public static Optional<CommandPosition> fromCancelReason(String reason) {
        return reason != null && reason.startsWith(CANCEL_REASON_PREFIX)
                ? parse(reason.substring(CANCEL_REASON_PREFIX.length()))
                : Optional.empty();
    }

    public String cancelReason() {
        return CANCEL_REASON_PREFIX + this;
    }

    /**
     * Whether this record comes at or before {@code other} in the log. Records of different partitions have no
     * order: false (they are treated as new), which is why commands must be keyed by email.
     */
    public boolean atOrBefore(CommandPosition other) {
        return topic.equals(other.topic) && partition == other.partition && offset <= other.offset;
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "-" + offset;
    }
}
