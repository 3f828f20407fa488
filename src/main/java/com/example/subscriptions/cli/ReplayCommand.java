package com.example.subscriptions.cli;

import com.example.subscriptions.config.Settings;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code subscriptions replay --role commands --from TIME}: moves a role's consumer group back, so the role reads its
 * topic again from there. Only back: a partition whose committed offset is already before the point stays, and one
 * with none stays too (the group reads it from its beginning anyway), so a replay never skips a record. Refused while
 * the group has members, unless {@code --evict-active-members}.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        description = {
            "Moves a role's consumer group back to a time or offset, so that the role applies its topic's records"
                    + " again from there (after an incident, or a restore of Temporal). A dry run unless --execute.",
            "Replayed commands change nothing they changed already: each run records the position of the command"
                    + " that started or cancelled it (README, 'Replays').",
            "Kafka moves a group only while it has no members: stop the role first, or pass --evict-active-members."
        })
final class ReplayCommand extends OperatorCall {

    enum Role {
        COMMANDS,
        RESPONDER
    }

    @ParentCommand
    Cli parent;

    @Option(
            names = "--role",
            required = true,
            paramLabel = "ROLE",
            converter = RoleConverter.class,
            description = "commands (topics.commands, group commands.group-id) or responder"
                    + " (topics.details-requests, group details.group-id).")
    Role role;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "POINT",
            converter = StartingPoint.Converter.class,
            description = "An ISO-8601 time (2026-11-24T10:00:00Z), a duration ago (PT1H, 90m), 'earliest', or an"
                    + " offset (the same on every partition).")
    StartingPoint from;

    @Option(names = "--execute", description = "Move the group. Without it, a dry run that shows the plan.")
    boolean execute;

    @Option(
            names = "--evict-active-members",
            description = "I understand that the group's running members are removed from it first: they stop"
                    + " committing, their unfinished records are applied again, and they rejoin at the new position.")
    boolean evictActiveMembers;

    @Override
    Cli cli() {
        return parent;
    }

    @Override
    int run(Settings settings, OperatorClients kafka) throws Exception {
        String group = role == Role.COMMANDS
                ? settings.commands().groupId()
                : settings.details().groupId();
        String topic = role == Role.COMMANDS
                ? settings.topics().commands()
                : settings.topics().detailsRequests();
        long timeout = kafka.timeout().toMillis();
        try (Admin admin = kafka.admin()) {
            List<TopicPartition> partitions = kafka.partitions(admin, topic);
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get(timeout, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(timeout, TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> target = targets(admin, partitions, timeout);
            Map<TopicPartition, OffsetAndMetadata> moves = new HashMap<>();
            out().println((execute ? "Replay" : "Dry run of a replay") + " of " + topic + " for group " + group + " ("
                    + role.name().toLowerCase(Locale.ROOT) + " role) from " + describe(from) + ":");
            long records = 0;
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata now = committed.get(partition);
                long to = target.get(partition);
                if (now == null) {
                    out().println("  partition " + partition.partition() + ": no committed offset, stays (the group"
                            + " reads it from its beginning)");
                } else if (to >= now.offset()) {
                    out().println("  partition " + partition.partition() + ": at " + now.offset() + ", stays (not"
                            + " after the point: a replay never skips records)");
                } else {
                    moves.put(partition, new OffsetAndMetadata(to));
                    records += now.offset() - to;
                    out().println("  partition " + partition.partition() + ": " + now.offset() + " -> " + to + " ("
                            + (now.offset() - to) + " records again)");
                }
            }
            if (moves.isEmpty()) {
                out().println("Nothing to replay: no partition of group " + group + " is after the point.");
                return Cli.OK;
            }
            List<MemberDescription> members = List.copyOf(description.members());
            if (!members.isEmpty() && !evictActiveMembers) {
                throw new Stop(
                        Cli.REFUSED,
                        "Refused: group " + group + " has " + members.size() + " active member"
                                + (members.size() == 1 ? "" : "s") + " (" + membersText(members) + "). Stop the "
                                + role.name().toLowerCase(Locale.ROOT) + " role first (on Kubernetes: scale its"
                                + " StatefulSet to 0 and pause its ScaledObject), or pass --evict-active-members if"
                                + " you understand that they are removed from the group and rejoin at the new"
                                + " position.");
            }
            if (!execute) {
                out().println(records + " records would be applied again"
                        + (members.isEmpty() ? "" : " (" + members.size() + " active members would be evicted first)")
                        + ". Nothing was moved: add --execute to move the group.");
                return Cli.OK;
            }
            move(admin, group, moves, !members.isEmpty(), timeout);
            out().println("Moved group " + group + ": " + records + " records of " + topic + " will be applied again"
                    + (members.isEmpty() ? " when the role starts." : " by its members as they rejoin."));
            return Cli.OK;
        }
    }

    /** Where each partition would start: the first offset at or after the time, or the offset within the log. */
    private Map<TopicPartition, Long> targets(Admin admin, List<TopicPartition> partitions, long timeout)
            throws Exception {
        Map<TopicPartition, Long> earliest = offsets(admin, partitions, OffsetSpec.earliest(), timeout);
        Map<TopicPartition, Long> latest = offsets(admin, partitions, OffsetSpec.latest(), timeout);
        Map<TopicPartition, Long> targets = new HashMap<>();
        if (from instanceof StartingPoint.At at) {
            Map<TopicPartition, Long> atTime =
                    offsets(admin, partitions, OffsetSpec.forTimestamp(at.time().toEpochMilli()), timeout);
            // No record at or after the time: the end of the partition.
            partitions.forEach(p -> targets.put(p, atTime.get(p) < 0 ? latest.get(p) : atTime.get(p)));
        } else if (from instanceof StartingPoint.Offset offset) {
            partitions.forEach(p ->
                    targets.put(p, Math.min(latest.get(p), Math.max(earliest.get(p), offset.offset()))));
        } else {
            targets.putAll(earliest);
        }
        return targets;
    }

    private static Map<TopicPartition, Long> offsets(
            Admin admin, List<TopicPartition> partitions, OffsetSpec spec, long timeout) throws Exception {
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, spec));
        Map<TopicPartition, ListOffsetsResultInfo> found =
                admin.listOffsets(query).all().get(timeout, TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        found.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    /**
     * Kafka moves only an empty group's offsets. Evicted members rejoin on their next heartbeat, so eviction and move
     * follow each other at once, and are tried again if a member was quicker.
     */
    private void move(
            Admin admin, String group, Map<TopicPartition, OffsetAndMetadata> moves, boolean evict, long timeout)
            throws Exception {
        int attempts = evict ? 5 : 1;
        for (int attempt = 1; ; attempt++) {
            try {
                if (evict) {
                    admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions())
                            .all()
                            .get(timeout, TimeUnit.MILLISECONDS);
                }
                admin.alterConsumerGroupOffsets(group, moves).all().get(timeout, TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof ApiException) || attempt >= attempts) {
                    throw new Stop(
                            evict ? Cli.KAFKA_FAILED : Cli.REFUSED,
                            "Kafka did not move group " + group + ": "
                                    + e.getCause().getMessage()
                                    + (evict
                                            ? " (its members kept rejoining first: stop the role and try again)"
                                            : " (a member joined meanwhile: stop the role and try again)"));
                }
            }
        }
    }

    private static String membersText(List<MemberDescription> members) {
        return members.stream()
                        .map(m -> m.groupInstanceId().orElse(m.clientId()) + " on " + m.host())
                        .collect(Collectors.toCollection(java.util.TreeSet::new))
                        .stream()
                        .limit(5)
                        .collect(Collectors.joining(", "))
                + (members.size() > 5 ? ", ..." : "");
    }

    private static String describe(StartingPoint point) {
        if (point instanceof StartingPoint.At at) {
            return at.time().toString();
        }
        return point instanceof StartingPoint.Offset offset ? "offset " + offset.offset() : "the beginning";
    }

    /** {@code commands} or {@code responder}, any case. */
    static final class RoleConverter implements picocli.CommandLine.ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            try {
                return Role.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a consumer role: commands or responder");
            }
        }
    }
}
