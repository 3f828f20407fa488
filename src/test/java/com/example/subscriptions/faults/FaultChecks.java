package com.example.subscriptions.faults;

import static org.junit.jupiter.api.Assertions.fail;

import com.example.subscriptions.app.Main;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.contract.PublishedRecords;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.devstack.TestKafka;
import com.example.subscriptions.devstack.TestTemporal;
import com.example.subscriptions.it.ServiceFixture;
import com.example.subscriptions.workflow.DeliveryId;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.EmailSender;
import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.activity.Activity;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowTargetOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * What the fault tests share: command streams, the events they produce, a recording email sender for the worker, the
 * service in a child JVM (to kill it), and the end-of-test invariant {@link #assertInvariant}.
 *
 * <p>The invariant, for a list of commands produced keyed by email (each email's commands in list order):
 * <ul>
 *   <li>every command has at least one event; redeliveries add events only as {@code ALREADY_SUBSCRIBED}
 *       or {@code NOT_SUBSCRIBED}: a subscribe is {@code SUBSCRIBED} (an unsubscribe {@code UNSUBSCRIBE_REQUESTED})
 *       at most once, and never when the log says a subscription was already open (was not open);</li>
 *   <li>each email's workflow is in the state its last command says: RUNNING after a subscribe, CANCELED after an
 *       unsubscribe (not found if it was never subscribed);</li>
 *   <li>with a {@link SentEmails} recorder: the email had exactly as many runs as its command history starts
 *       subscriptions, their lifetimes never overlap (at most one open run, the current one), every run sent one
 *       welcome (none if cancelled before its first workflow task), and every cancelled run exactly one goodbye (a
 *       running one none).</li>
 * </ul>
 */
public final class FaultChecks {

    public static final String SUBSCRIBE = "subscribe";
    public static final String UNSUBSCRIBE = "unsubscribe";

    private FaultChecks() {}

    /** One command as produced: the record key is the email. */
    public record Command(String commandId, String type, String email) {

        public boolean subscribe() {
            return SUBSCRIBE.equals(type);
        }

        String json() {
            return "{\"type\":\"" + type + "\",\"email\":\"" + email + "\",\"commandId\":\"" + commandId + "\"}";
        }

        @Override
        public String toString() {
            return (subscribe() ? "S" : "U") + "(" + commandId + ")";
        }
    }

    // ---------------------------------------------------------------- command streams

    /**
     * {@code commands} commands over {@code emails} emails ({@code prefix-N@example.com}): every email starts with a
     * subscribe; the others (60% unsubscribes, 40% subscribes) go to random emails. A quarter of the emails send
     * theirs in one burst (consecutive records, as a user who changes their mind at once); the rest are interleaved
     * at random, each email's own order kept. Deterministic for a seed.
     */
    public static List<Command> randomStream(String prefix, int emails, int commands, long seed) {
        if (commands < emails) {
            throw new IllegalArgumentException("at least one command per email");
        }
        Random random = new Random(seed);
        List<List<String>> types = new ArrayList<>();
        for (int i = 0; i < emails; i++) {
            types.add(new ArrayList<>(List.of(SUBSCRIBE)));
        }
        for (int i = emails; i < commands; i++) {
            types.get(random.nextInt(emails)).add(random.nextInt(10) < 6 ? UNSUBSCRIBE : SUBSCRIBE);
        }
        return merge(commandsOf(prefix, types), email -> email % 4 == 0, random.nextLong());
    }

    /**
     * One email ({@code prefix-N@example.com}) per sequence of types, every command with an id of its own, merged
     * in a random order that keeps each email's sequence in order.
     */
    public static List<Command> interleave(String prefix, List<List<String>> sequences, long seed) {
        return merge(commandsOf(prefix, sequences), email -> false, seed);
    }

    private static List<List<Command>> commandsOf(String prefix, List<List<String>> sequences) {
        List<List<Command>> perEmail = new ArrayList<>();
        int id = 0;
        for (int e = 0; e < sequences.size(); e++) {
            String email = prefix + "-" + e + "@example.com";
            List<Command> mine = new ArrayList<>();
            for (String type : sequences.get(e)) {
                mine.add(new Command(prefix + "-c" + id++, type, email));
            }
            perEmail.add(mine);
        }
        return perEmail;
    }

    /** A random merge keeping each email's order; the emails {@code burst} picks keep their commands together. */
    private static List<Command> merge(List<List<Command>> perEmail, java.util.function.IntPredicate burst, long seed) {
        List<Integer> slots = new ArrayList<>();
        for (int e = 0; e < perEmail.size(); e++) {
            for (int i = 0; i < (burst.test(e) ? 1 : perEmail.get(e).size()); i++) {
                slots.add(e);
            }
        }
        Collections.shuffle(slots, new Random(seed));
        int[] next = new int[perEmail.size()];
        List<Command> merged = new ArrayList<>();
        for (int e : slots) {
            List<Command> mine = perEmail.get(e);
            int count = burst.test(e) ? mine.size() : 1;
            merged.addAll(mine.subList(next[e], next[e] + count));
            next[e] += count;
        }
        return merged;
    }

    // ---------------------------------------------------------------- service settings and topics

    /**
     * Starts the test broker and Temporal service if this JVM has not yet: call it from {@code @BeforeAll}, so that
     * their start (slow on a busy machine) does not count against a test's {@code @Timeout}.
     */
    public static void startBackends() {
        TestKafka.bootstrapServers();
        TestTemporal.address();
    }

    /**
     * The settings of a service instance of this fixture (its topics, groups and task queue) with {@code partitions}
     * partitions and {@code extra} on top, as a map: for {@link Settings#of} in process, or for a
     * {@link ChildService}. Subscriptions get a one-hour interval, so each run sends its welcome and then waits.
     */
    public static Map<String, String> settings(ServiceFixture fixture, int partitions, Map<String, String> extra) {
        Map<String, String> values = fixture.values(
                Map.of("topics.partitions", String.valueOf(partitions), "subscription.interval", "PT1H"));
        values.putAll(extra);
        return values;
    }

    /** Creates the fixture's six topics with {@code partitions} partitions each. */
    public static void createTopics(ServiceFixture fixture, int partitions) {
        Map<String, Integer> topics = new HashMap<>();
        fixture.topics.values().forEach(topic -> topics.put(topic, partitions));
        TestKafka.createTopics(topics);
    }

    // ---------------------------------------------------------------- Kafka

    /** Produces commands keyed by email, idempotently and in order per partition. Thread-safe. */
    public static final class CommandProducer implements AutoCloseable {

        private final KafkaProducer<String, String> producer;

        public CommandProducer() {
            Map<String, Object> props = new HashMap<>();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        }

        /** Sends them all and waits until the broker has acknowledged every one. */
        public void send(String topic, List<Command> commands) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(commands.size());
            for (Command command : commands) {
                acks.add(producer.send(new ProducerRecord<>(topic, command.email(), command.json())));
            }
            try {
                for (Future<RecordMetadata> ack : acks) {
                    ack.get(120, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                throw new IllegalStateException("producing commands failed", e);
            }
        }

        /**
         * Starts producing the commands in the background, in order, at about {@code perSecond} but never more than
         * {@code maxAhead} ahead of {@code done} (e.g. {@link EventLog#size()}), so that the stream is still running
         * when a test's fault lands, however fast the machine; returns at once.
         */
        public Stream stream(String topic, List<Command> commands, int perSecond, IntSupplier done, int maxAhead) {
            return new Stream(topic, commands, perSecond, done, maxAhead);
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(5));
        }

        /** Commands being produced at a steady rate. */
        public final class Stream implements AutoCloseable {

            private static final long TICK_MILLIS = 50;

            private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "command-stream");
                thread.setDaemon(true);
                return thread;
            });
            private final List<Future<RecordMetadata>> acks = new CopyOnWriteArrayList<>();
            private final AtomicInteger produced = new AtomicInteger();

            private Stream(String topic, List<Command> commands, int perSecond, IntSupplier done, int maxAhead) {
                int perTick = Math.max(1, (int) (perSecond * TICK_MILLIS / 1000));
                timer.scheduleAtFixedRate(
                        () -> {
                            int from = produced.get();
                            int to = Math.min(commands.size(), Math.min(from + perTick, done.getAsInt() + maxAhead));
                            if (to <= from) {
                                return;
                            }
                            for (Command command : commands.subList(from, to)) {
                                acks.add(producer.send(new ProducerRecord<>(topic, command.email(), command.json())));
                            }
                            produced.set(to);
                        },
                        0,
                        TICK_MILLIS,
                        TimeUnit.MILLISECONDS);
            }

            /** How many commands have been handed to the producer so far. */
            public int produced() {
                return produced.get();
            }

            /** Waits until all are produced and acknowledged. */
            public void awaitDone(int total, Duration timeout) {
                await(timeout).alias(total + " commands produced").until(() -> produced.get() >= total);
                try {
                    for (Future<RecordMetadata> ack : acks) {
                        ack.get(120, TimeUnit.SECONDS);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("producing commands failed", e);
                }
            }

            @Override
            public void close() {
                timer.shutdownNow();
            }
        }
    }

    /**
     * The events topic read from its beginning, without a group, each event held to the contract as it is read. Use
     * from one thread at a time.
     */
    public static final class EventLog implements AutoCloseable {

        /** One event: its command, type, email, outcome, and where and when it was published. */
        public record Event(
                String commandId, String type, String email, String outcome, int partition, long offset, String at) {
            @Override
            public String toString() {
                return outcome + "@" + partition + "/" + offset + " " + at;
            }
        }

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<Event> events = new ArrayList<>();
        private final Map<String, List<Event>> byCommand = new HashMap<>();
        private volatile int size;

        public EventLog(String topic) {
            Map<String, Object> props = new HashMap<>();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
            consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Reads what has arrived; returns how many events there are in all. */
        public int poll() {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                PublishedRecords.assertConforms(record);
                JsonNode json;
                try {
                    json = Json.MAPPER.readTree(record.value());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Event event = new Event(
                        json.path("commandId").asText(null),
                        json.path("type").asText(null),
                        json.path("email").asText(null),
                        json.path("outcome").asText(null),
                        record.partition(),
                        record.offset(),
                        json.path("at").asText(null));
                events.add(event);
                byCommand
                        .computeIfAbsent(event.commandId(), k -> new ArrayList<>())
                        .add(event);
            }
            size = events.size();
            return size;
        }

        /** How many events the last {@link #poll()} had seen; safe to read from any thread. */
        public int size() {
            return size;
        }

        /** The outcomes of one command's events, in the order they were published (all on its email's partition). */
        public List<String> outcomes(String commandId) {
            return byCommand.getOrDefault(commandId, List.of()).stream()
                    .map(Event::outcome)
                    .toList();
        }

        /** One command's events, in the order they were published. */
        public List<Event> of(String commandId) {
            return List.copyOf(byCommand.getOrDefault(commandId, List.of()));
        }

        public Set<String> commandIds() {
            return Collections.unmodifiableSet(byCommand.keySet());
        }

        /** Waits until there are at least {@code count} events; fails at once when {@code failIf} says so. */
        public void awaitSize(
                int count, Duration timeout, String failReason, java.util.concurrent.Callable<Boolean> failIf) {
            ConditionFactory wait = await(timeout);
            if (failIf != null) {
                wait = wait.failFast(failReason, failIf);
            }
            wait.alias(count + " events").until(() -> poll() >= count);
        }

        /** Waits until every command has at least {@code eachAtLeast} events. */
        public void awaitAll(Collection<Command> commands, int eachAtLeast, Duration timeout) {
            List<Command> waiting = new ArrayList<>(commands);
            await(timeout).untilAsserted(() -> {
                poll();
                waiting.removeIf(
                        c -> byCommand.getOrDefault(c.commandId(), List.of()).size() >= eachAtLeast);
                if (!waiting.isEmpty()) {
                    fail(waiting.size() + " of " + commands.size() + " commands have fewer than " + eachAtLeast
                            + " events, e.g. " + waiting.subList(0, Math.min(5, waiting.size())) + " (" + size()
                            + " events in all)");
                }
            });
        }

        @Override
        public void close() {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** Committed offsets of a group, summed over its partitions (0 for none). */
    public static long committedTotal(String groupId) {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            return offsets.values().stream()
                    .filter(o -> o != null)
                    .mapToLong(OffsetAndMetadata::offset)
                    .sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of " + groupId, e);
        }
    }

    /** Waits until the group is stable with exactly {@code members} members, each with partitions; returns it. */
    public static ConsumerGroupDescription awaitGroup(String groupId, int members, Duration timeout) {
        try (Admin admin = admin()) {
            ConsumerGroupDescription[] found = new ConsumerGroupDescription[1];
            await(timeout)
                    .ignoreExceptions()
                    .alias(groupId + " stable with " + members + " members")
                    .until(() -> {
                        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId))
                                .describedGroups()
                                .get(groupId)
                                .get(10, TimeUnit.SECONDS);
                        found[0] = group;
                        return group.groupState() == org.apache.kafka.common.GroupState.STABLE
                                && group.members().size() == members
                                && group.members().stream()
                                        .allMatch(m -> !m.assignment()
                                                .topicPartitions()
                                                .isEmpty());
                    });
            return found[0];
        }
    }

    /** Moves the (empty) group's offsets on every partition of {@code topic} back to its beginning. */
    public static void rewindGroup(String groupId, String topic, int partitions, Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> beginning = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            beginning.put(new TopicPartition(topic, p), new OffsetAndMetadata(0));
        }
        try (Admin admin = admin()) {
            // Refused while a member that has just left is still counted: try again until the group is empty.
            await(timeout).ignoreExceptions().alias("rewinding " + groupId).until(() -> {
                admin.alterConsumerGroupOffsets(groupId, beginning).all().get(10, TimeUnit.SECONDS);
                return true;
            });
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
    }

    // ---------------------------------------------------------------- the worker's emails

    /** An {@link EmailSender} for the worker that remembers every email with the workflow run that sent it. */
    public static final class SentEmails implements EmailSender {

        /** One email: the run that sent it, the activity attempt, and what was sent. */
        public record Sent(String runId, int attempt, EmailDetails details) {
            boolean welcome() {
                return details.subscribed() && details.count() == 1;
            }

            boolean goodbye() {
                return !details.subscribed();
            }
        }

        private final Map<String, List<Sent>> byEmail = new ConcurrentHashMap<>();

        @Override
        public void send(EmailDetails details, DeliveryId delivery) {
            int attempt = Activity.getExecutionContext().getInfo().getAttempt();
            byEmail.computeIfAbsent(delivery.workflowId(), k -> new CopyOnWriteArrayList<>())
                    .add(new Sent(delivery.runId(), attempt, details));
        }

        public List<Sent> to(String email) {
            return List.copyOf(byEmail.getOrDefault(email, List.of()));
        }

        /** Every run that sent this email something, in the order of their first email. */
        public List<String> runs(String email) {
            return to(email).stream().map(Sent::runId).distinct().toList();
        }

        public int total() {
            return byEmail.values().stream().mapToInt(List::size).sum();
        }
    }

    // ---------------------------------------------------------------- the service in a child JVM

    /**
     * {@code java -cp <this classpath> ...Main ROLES} in a temporary directory (so no config/application.properties is
     * read), configured by environment variables alone; its output goes to a file. {@link #kill()} is a crash:
     * SIGKILL, nothing drained, committed or left.
     */
    public static final class ChildService implements AutoCloseable {

        private final Process process;
        private final Path dir;
        private final Path log;
        private final Thread reaper;

        private ChildService(Process process, Path dir) {
            this.process = process;
            this.dir = dir;
            this.log = dir.resolve("service.log");
            // Never outlive the test JVM, whatever happens to the test.
            this.reaper = new Thread(process::destroyForcibly, "child-service-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
        }

        public static ChildService start(Map<String, String> settings, String... roles) {
            try {
                Path dir = Files.createTempDirectory("child-service-");
                Path log = dir.resolve("service.log");
                String classPath =
                        String.join(File.pathSeparator, com.example.subscriptions.devstack.JvmClasspath.entries());
                List<String> command = new ArrayList<>(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        classPath,
                        Main.class.getName()));
                command.addAll(List.of(roles));
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                Map<String, String> env = builder.environment();
                env.keySet().removeIf(ChildService::readByTheService);
                settings.forEach((key, value) -> env.put(envName(key), value));
                return new ChildService(builder.start(), dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The variable the service reads a setting from: {@code commands.group-id} is {@code COMMANDS_GROUP_ID}. */
        public static String envName(String key) {
            return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }

        private static boolean readByTheService(String variable) {
            return variable.startsWith("KAFKA_")
                    || Settings.DEFAULTS.keySet().stream()
                            .anyMatch(key -> envName(key).equals(variable));
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** The crash: SIGKILL, then waits for the process to be gone. */
        public void kill() {
            process.destroyForcibly();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the child service did not die");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** The last lines of its output, for failure messages. */
        public String logTail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        /** Kills it if still alive and deletes its directory and log. */
        @Override
        public void close() {
            if (process.isAlive()) {
                kill();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind
            }
        }
    }

    // ---------------------------------------------------------------- the invariant

    /** What one email's command history implies, applied once in log order. */
    private static final class Expected {
        final List<Command> commands = new ArrayList<>();
        final Map<String, String> firstOutcome = new HashMap<>();
        int runs;
        boolean subscribed;

        void add(Command command) {
            commands.add(command);
            String outcome;
            if (command.subscribe()) {
                outcome = subscribed ? "ALREADY_SUBSCRIBED" : "SUBSCRIBED";
                runs += subscribed ? 0 : 1;
                subscribed = true;
            } else {
                outcome = subscribed ? "UNSUBSCRIBE_REQUESTED" : "NOT_SUBSCRIBED";
                subscribed = false;
            }
            firstOutcome.put(command.commandId(), outcome);
        }

        WorkflowExecutionStatus finalStatus() {
            if (subscribed) {
                return WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
            }
            return runs > 0 ? WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED : null;
        }
    }

    /** Counts for a log line: events by outcome, commands with more than one event, runs. */
    public record Summary(
            int commands, int events, int redelivered, Map<String, Integer> outcomes, int runs, int emailsSent) {
        @Override
        public String toString() {
            return commands + " commands, " + events + " events " + outcomes + ", " + redelivered
                    + " commands with more than one event, " + runs + " runs, " + emailsSent + " emails sent";
        }
    }

    /**
     * Waits (up to {@code timeout}) until every email's workflow is in the state its last command says (and, with a
     * recorder, its running subscription has sent its welcome), then asserts the whole invariant (see the class
     * comment). Call it once every command has its events. {@code sent} may be null when the worker is not the
     * test's.
     */
    public static Summary assertInvariant(
            List<Command> commands, EventLog events, WorkflowClient client, SentEmails sent, Duration timeout) {
        Map<String, Expected> expected = new LinkedHashMap<>();
        commands.forEach(
                c -> expected.computeIfAbsent(c.email(), e -> new Expected()).add(c));
        events.poll();

        // 1. Final states, awaited: cancellations finish (goodbye sent) after their command's event.
        Map<String, WorkflowExecutionDescription> current = new ConcurrentHashMap<>();
        List<String> waiting = new ArrayList<>(expected.keySet());
        Map<String, String> lastSeen = new HashMap<>();
        await(timeout).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            waiting.removeIf(email -> {
                Expected want = expected.get(email);
                Optional<WorkflowExecutionDescription> found = describe(client, email, null);
                WorkflowExecutionStatus status =
                        found.map(WorkflowExecutionDescription::getStatus).orElse(null);
                lastSeen.put(email, String.valueOf(status));
                if (status != want.finalStatus()) {
                    return false;
                }
                if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                        && sent != null
                        && sent.to(email).stream()
                                .noneMatch(s -> s.runId()
                                        .equals(found.get().getExecution().getRunId()))) {
                    lastSeen.put(email, "RUNNING, no email sent yet");
                    return false;
                }
                found.ifPresent(d -> current.put(email, d));
                return true;
            });
            if (!waiting.isEmpty()) {
                fail(waiting.size() + " emails are not in the state their last command says, e.g. "
                        + waiting.stream()
                                .limit(5)
                                .map(e -> e + " " + expected.get(e).commands + " wants "
                                        + expected.get(e).finalStatus() + ", is " + lastSeen.get(e))
                                .collect(Collectors.joining("; ")));
            }
        });

        List<String> violations = new ArrayList<>();
        Map<String, Integer> outcomeCounts = new java.util.TreeMap<>();
        int redelivered = 0;

        // 2. Events: at least one per command; extra ones only as the harmless outcomes.
        Set<String> known = commands.stream().map(Command::commandId).collect(Collectors.toSet());
        events.commandIds().stream()
                .filter(id -> !known.contains(id))
                .forEach(id -> violations.add("event for a command never produced: " + id + " " + events.outcomes(id)));
        for (Command command : commands) {
            List<String> outcomes = events.outcomes(command.commandId());
            outcomes.forEach(o -> outcomeCounts.merge(o, 1, Integer::sum));
            redelivered += outcomes.size() > 1 ? 1 : 0;
            WorkflowExecutionDescription latest = current.get(command.email());
            String context = command.email() + " " + command + " (history " + expected.get(command.email()).commands
                    + "): events " + events.of(command.commandId())
                    + (latest == null
                            ? ""
                            : ", latest run " + latest.getExecution().getRunId().substring(0, 8) + " started "
                                    + latest.getStartTime())
                    + (sent == null
                            ? ""
                            : ", runs that sent emails "
                                    + sent.runs(command.email()).stream()
                                            .map(r -> r.substring(0, 8))
                                            .toList());
            if (outcomes.isEmpty()) {
                violations.add("no event: " + context);
                continue;
            }
            if (command.subscribe()) {
                long started = outcomes.stream().filter("SUBSCRIBED"::equals).count();
                if (!outcomes.stream().allMatch(o -> o.equals("SUBSCRIBED") || o.equals("ALREADY_SUBSCRIBED"))) {
                    violations.add("subscribe with an outcome other than SUBSCRIBED/ALREADY_SUBSCRIBED: " + context);
                } else if (started > 1) {
                    violations.add("subscribe applied more than once (a redelivery started another run): " + context);
                } else if (started == 1
                        && expected.get(command.email())
                                .firstOutcome
                                .get(command.commandId())
                                .equals("ALREADY_SUBSCRIBED")) {
                    violations.add("subscribe started a run although, in log order, one was open then: " + context);
                }
            } else {
                long cancelled = outcomes.stream()
                        .filter("UNSUBSCRIBE_REQUESTED"::equals)
                        .count();
                if (!outcomes.stream().allMatch(o -> o.equals("UNSUBSCRIBE_REQUESTED") || o.equals("NOT_SUBSCRIBED"))) {
                    violations.add(
                            "unsubscribe with an outcome other than UNSUBSCRIBE_REQUESTED/NOT_SUBSCRIBED: " + context);
                } else if (cancelled > 1) {
                    violations.add("unsubscribe applied more than once: " + context);
                } else if (cancelled == 1
                        && expected.get(command.email())
                                .firstOutcome
                                .get(command.commandId())
                                .equals("NOT_SUBSCRIBED")) {
                    violations.add(
                            "unsubscribe cancelled a run although, in log order, none was open then: " + context);
                }
            }
        }

        // 3. Runs and emails: as many runs as the history starts, one at a time, one welcome each, one goodbye
        //    per cancelled run.
        int runs = 0;
        if (sent != null) {
            for (Map.Entry<String, Expected> entry : expected.entrySet()) {
                String email = entry.getKey();
                Expected want = entry.getValue();
                List<String> runIds = sent.runs(email);
                runs += runIds.size();
                String context = email + " (history " + want.commands + ", emails "
                        + sent.to(email).stream()
                                .map(s -> (s.goodbye()
                                                ? "goodbye"
                                                : s.welcome()
                                                        ? "welcome"
                                                        : "#" + s.details().count())
                                        + "@" + s.runId().substring(0, 8)
                                        + (s.attempt() > 1 ? "/attempt" + s.attempt() : ""))
                                .toList()
                        + ")";
                if (runIds.size() != want.runs) {
                    violations.add(runIds.size() + " workflow runs, the command history implies " + want.runs + ": "
                            + context);
                }
                List<WorkflowExecutionDescription> described = new ArrayList<>();
                for (String runId : runIds) {
                    Optional<WorkflowExecutionDescription> run = describe(client, email, runId);
                    if (run.isEmpty()) {
                        violations.add("run " + runId + " that sent emails is not found: " + context);
                        continue;
                    }
                    described.add(run.get());
                    List<SentEmails.Sent> ofRun = sent.to(email).stream()
                            .filter(s -> s.runId().equals(runId))
                            .toList();
                    long welcomes =
                            ofRun.stream().filter(SentEmails.Sent::welcome).count();
                    long goodbyes =
                            ofRun.stream().filter(SentEmails.Sent::goodbye).count();
                    WorkflowExecutionStatus status = run.get().getStatus();
                    // A run cancelled before its first workflow task says goodbye without a welcome, as the
                    // tutorial's does: its cancellation interrupts the first send_email before it is sent.
                    boolean cancelledBeforeWelcome =
                            welcomes == 0 && status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED;
                    if (welcomes != 1 && !cancelledBeforeWelcome) {
                        violations.add("run " + runId.substring(0, 8) + " sent " + welcomes + " welcome emails: "
                                + context + ", history " + history(client, email, runId));
                    }
                    if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED && goodbyes != 1) {
                        violations.add("cancelled run " + runId.substring(0, 8) + " sent " + goodbyes + " goodbyes: "
                                + context);
                    } else if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
                        if (goodbyes != 0) {
                            violations.add("running run " + runId.substring(0, 8) + " sent a goodbye: " + context);
                        }
                        WorkflowExecutionDescription now = current.get(email);
                        if (now == null || !now.getExecution().getRunId().equals(runId)) {
                            violations.add("run " + runId.substring(0, 8)
                                    + " is open but is not the email's current run: " + context);
                        }
                    } else if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED) {
                        violations.add("run " + runId.substring(0, 8) + " ended " + status + ": " + context);
                    }
                }
                described.sort(Comparator.comparing(WorkflowExecutionDescription::getStartTime));
                for (int i = 1; i < described.size(); i++) {
                    Instant closed = described.get(i - 1).getCloseTime();
                    if (closed == null || closed.isAfter(described.get(i).getStartTime())) {
                        violations.add("two runs open at once ("
                                + described.get(i - 1).getExecution().getRunId().substring(0, 8) + " closed " + closed
                                + ", the next started "
                                + described.get(i).getStartTime() + "): " + context);
                    }
                }
            }
        }

        if (!violations.isEmpty()) {
            Map<String, Long> kinds = violations.stream()
                    .collect(Collectors.groupingBy(
                            v -> v.substring(0, v.indexOf(':')).replaceAll("[0-9a-f]{8}|\\d+", "N"),
                            LinkedHashMap::new,
                            Collectors.counting()));
            fail(violations.size() + " invariant violations " + kinds + ":\n  "
                    + violations.stream().limit(15).collect(Collectors.joining("\n  ")));
        }
        return new Summary(
                commands.size(), events.size(), redelivered, outcomeCounts, runs, sent == null ? 0 : sent.total());
    }

    /** A run's history in short: event types without their common prefix. */
    private static String history(WorkflowClient client, String email, String runId) {
        try {
            return client.fetchHistory(email, runId).getEvents().stream()
                    .map(e -> e.getEventType().name().replace("EVENT_TYPE_", ""))
                    .toList()
                    .toString();
        } catch (RuntimeException e) {
            return "(unavailable: " + e + ")";
        }
    }

    private static Optional<WorkflowExecutionDescription> describe(WorkflowClient client, String email, String runId) {
        try {
            return Optional.of(client.newUntypedWorkflowStub(
                            runId == null
                                    ? WorkflowTargetOptions.newBuilder()
                                            .setWorkflowId(email)
                                            .build()
                                    : WorkflowTargetOptions.newBuilder()
                                            .setWorkflowId(email)
                                            .setRunId(runId)
                                            .build())
                    .describe());
        } catch (WorkflowNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Awaitility as these tests use it: in the calling thread, polled often, bounded. */
    public static ConditionFactory await(Duration timeout) {
        return Awaitility.await()
                .atMost(timeout)
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100));
    }
}
