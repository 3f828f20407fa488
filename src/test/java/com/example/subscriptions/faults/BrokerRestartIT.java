package com.example.subscriptions.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.contract.PublishedRecords;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.devstack.EmbeddedKafkaBroker;
import com.example.subscriptions.devstack.TestTemporal;
import com.example.subscriptions.it.KafkaProbe;
import com.example.subscriptions.status.DetailsRequestParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker goes away for a few seconds under a steady stream of commands and details requests, then comes back
 * on the same port with the same data: the same service object carries on by itself, applies every command once
 * in order, and answers every request.
 */
class BrokerRestartIT {

    private static final Logger log = LoggerFactory.getLogger(BrokerRestartIT.class);

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void theSameServiceRidesOutABrokerRestartWithNothingLost() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> topics = KafkaProbe.topicsFor(suffix);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null, false, Map.of())) {
            Map<String, String> values = new HashMap<>(topics);
            values.put("kafka.bootstrap.servers", broker.bootstrapServers());
            values.put("temporal.address", TestTemporal.address());
            values.put("temporal.task-queue", "email_subscription-" + suffix);
            values.put("commands.group-id", "commands-" + suffix);
            values.put("details.group-id", "details-" + suffix);
            values.put("topics.partitions", "3");
            values.put("shutdown.timeout", "PT10S");
            values.put("server.port", "0");
            values.put("unsubscribe.port", "0");
            WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget(TestTemporal.address())
                    .build());
            try (Service service = Service.start(Settings.of(values), (details, delivery) -> {});
                    Traffic traffic = new Traffic(broker.bootstrapServers(), topics, suffix)) {
                WorkflowClient temporal = WorkflowClient.newInstance(stubs);
                Awaitility.await("service ready").atMost(Duration.ofSeconds(60)).until(service::ready);

                traffic.startStream(Duration.ofMillis(250));
                traffic.awaitEvents(10, Duration.ofSeconds(60));

                long stopStart = System.nanoTime();
                broker.stop();
                int sentBeforeOutage = traffic.commandsSent().size();
                log.info("Broker stopped in {} ms; {} commands sent so far", millisSince(stopStart), sentBeforeOutage);
                // Down for a few seconds, long enough for the service to notice, while the stream goes on.
                Awaitility.await("the service notices the broker is gone")
                        .pollDelay(Duration.ofSeconds(4))
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            boolean ready = service.ready();
                            int sentMeanwhile = traffic.commandsSent().size() - sentBeforeOutage;
                            assertTrue(
                                    !ready && sentMeanwhile >= 20,
                                    "ready " + ready + ", commands sent meanwhile " + sentMeanwhile);
                        });
                long restartStart = System.nanoTime();
                broker.restart();
                long restartedAt = System.nanoTime();
                int sentDuringOutage = traffic.commandsSent().size() - sentBeforeOutage;
                log.info(
                        "Broker down {} ms (restart took {} ms); {} commands sent meanwhile",
                        millisSince(stopStart),
                        TimeUnit.NANOSECONDS.toMillis(restartedAt - restartStart),
                        sentDuringOutage);

                // The stream goes on a little after the restart, then stops; the test's own sends all landed.
                traffic.awaitCommandsSentAfter(restartedAt, 20, Duration.ofSeconds(30));
                traffic.stopStream();

                traffic.awaitAllAnswered(Duration.ofSeconds(120));
                log.info("Everything evented and answered {} ms after the restart", millisSince(restartedAt));
                Awaitility.await("/health/ready back to UP")
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(service::ready);
                // Committing recovered too: both groups' offsets reach the end of their topics.
                try (Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                    for (String[] group : new String[][] {
                        {"commands-" + suffix, topics.get("topics.commands")},
                        {"details-" + suffix, topics.get("topics.details-requests")}
                    }) {
                        Map<TopicPartition, Long> end = Traffic.endOffsets(admin, group[1]);
                        Awaitility.await("everything committed for " + group[0])
                                .atMost(Duration.ofSeconds(30))
                                .pollInterval(Duration.ofMillis(200))
                                .untilAsserted(() -> assertEquals(end, Traffic.committed(admin, group[0])));
                    }
                }

                Traffic.Summary summary = traffic.assertInvariant(temporal, Duration.ofSeconds(60));
                log.info("Broker restart: {}", summary);
                assertTrue(summary.commands() > sentDuringOutage, "commands flowed before, during and after");
            } finally {
                stubs.shutdownNow();
            }
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /**
     * A steady stream of commands and details requests against one service's topics, as an outside client sends
     * them, and the invariant checked at the end of a fault test. Sends come from a background thread through an
     * idempotent producer that retries through broker outages; reading is the test thread's.
     *
     * <p>Each email of the stream gets one of three command sequences, sent back to back in one partition:
     * subscribe; subscribe, unsubscribe; subscribe, unsubscribe, subscribe. A backlog is many subscribes of a few
     * emails. {@link TemporalOutageIT} drives its stream with this too.
     */
    static final class Traffic implements AutoCloseable {

        /** One command sent; {@code acked} completes with its partition and offset. */
        record Command(
                String commandId,
                String email,
                String type,
                int position,
                long sentAtNanos,
                CompletableFuture<RecordMetadata> acked) {}

        /** One details request sent. */
        record Request(String requestId, String email, long sentAtNanos, CompletableFuture<RecordMetadata> acked) {}

        /** What the stream amounted to. */
        record Summary(
                int commands,
                int emails,
                int requests,
                int duplicateEvents,
                int duplicateReplies,
                Map<String, Integer> replyStatuses) {}

        private static final List<List<String>> SEQUENCES = List.of(
                List.of("subscribe"),
                List.of("subscribe", "unsubscribe"),
                List.of("subscribe", "unsubscribe", "subscribe"));

        private final String suffix;
        private final String commandsTopic;
        private final String eventsTopic;
        private final String requestsTopic;
        private final String repliesTopic;
        private final KafkaProducer<byte[], byte[]> producer;
        private final KafkaConsumer<byte[], byte[]> reader;
        private final AtomicInteger emailCount = new AtomicInteger();
        private final List<Command> commands = new CopyOnWriteArrayList<>();
        private final List<String> emails = new CopyOnWriteArrayList<>();
        private final Map<String, List<Command>> commandsByEmail = new ConcurrentHashMap<>();
        private final List<Request> requests = new CopyOnWriteArrayList<>();
        private final AtomicReference<Throwable> streamFailure = new AtomicReference<>();
        private ScheduledExecutorService stream;
        // Read on the test thread only.
        private final Map<String, List<JsonNode>> eventsByCommandId = new HashMap<>();
        private final Map<String, List<JsonNode>> repliesByRequestId = new HashMap<>();

        Traffic(String bootstrapServers, Map<String, String> topics, String suffix) {
            this.suffix = suffix;
            this.commandsTopic = topics.get("topics.commands");
            this.eventsTopic = topics.get("topics.events");
            this.requestsTopic = topics.get("topics.details-requests");
            this.repliesTopic = topics.get("topics.details-replies");
            Properties producerProps = new Properties();
            producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            producerProps.put(ProducerConfig.RETRIES_CONFIG, String.valueOf(Integer.MAX_VALUE));
            producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000");
            producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
            producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "2");
            producerProps.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
            // Kafka 4 clients forget the cluster's metadata when every broker is gone ("rebootstrap"), and send()
            // then blocks for it: keeping it lets sends queue up during an outage, as the stream needs.
            producerProps.put(CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
            producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
            Properties readerProps = new Properties();
            readerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            readerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            readerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            readerProps.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
            reader = new KafkaConsumer<>(readerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            // Assigned, not subscribed: no group, so nothing of the reader changes when the broker restarts.
            List<TopicPartition> partitions = Stream.of(eventsTopic, repliesTopic)
                    .flatMap(topic -> reader.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map(info -> new TopicPartition(topic, info.partition())))
                    .toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
        }

        /** Sends one email's command sequence and one details request every {@code period}. */
        void startStream(Duration period) {
            stream = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "fault-traffic-" + suffix);
                thread.setDaemon(true);
                return thread;
            });
            stream.scheduleAtFixedRate(
                    () -> {
                        try {
                            sendEmailSequence();
                            sendDetailsRequest();
                        } catch (Throwable e) {
                            streamFailure.compareAndSet(null, e);
                            throw e;
                        }
                    },
                    0,
                    period.toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        /** Stops sending and waits until every record sent was acknowledged by the broker. */
        void stopStream() {
            stream.shutdown();
            try {
                assertTrue(stream.awaitTermination(30, TimeUnit.SECONDS), "stream stopped");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            producer.flush();
            assertNull(streamFailure.get(), () -> "the stream failed: " + streamFailure.get());
            Stream.concat(
                            commands.stream().map(Command::acked),
                            requests.stream().map(Request::acked))
                    .forEach(acked -> assertTrue(
                            acked.isDone() && !acked.isCompletedExceptionally(),
                            () -> "a test send was not acknowledged: " + acked));
        }

        private void sendEmailSequence() {
            int index = emailCount.getAndIncrement();
            String email = "fault-" + suffix + "-" + index + "@example.com";
            List<Command> sent = new ArrayList<>();
            for (String type : SEQUENCES.get(index % SEQUENCES.size())) {
                String commandId = suffix + "-" + index + "-" + sent.size();
                byte[] value = bytes(
                        "{\"type\":\"" + type + "\",\"email\":\"" + email + "\",\"commandId\":\"" + commandId + "\"}");
                sent.add(new Command(
                        commandId,
                        email,
                        type,
                        sent.size(),
                        System.nanoTime(),
                        send(new ProducerRecord<>(commandsTopic, bytes(email), value))));
            }
            commandsByEmail.put(email, List.copyOf(sent));
            commands.addAll(sent);
            emails.add(email);
        }

        /** Sends {@code each} subscribes for each of {@code newEmails} new emails, back to back: a backlog. */
        void sendRepeatedSubscribes(int newEmails, int each) {
            for (int e = 0; e < newEmails; e++) {
                int index = emailCount.getAndIncrement();
                String email = "fault-" + suffix + "-" + index + "@example.com";
                List<Command> sent = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    String commandId = suffix + "-" + index + "-" + i;
                    byte[] value = bytes(
                            "{\"type\":\"subscribe\",\"email\":\"" + email + "\",\"commandId\":\"" + commandId + "\"}");
                    sent.add(new Command(
                            commandId,
                            email,
                            "subscribe",
                            i,
                            System.nanoTime(),
                            send(new ProducerRecord<>(commandsTopic, bytes(email), value))));
                }
                commandsByEmail.put(email, List.copyOf(sent));
                commands.addAll(sent);
                emails.add(email);
            }
        }

        private void sendDetailsRequest() {
            String email = emails.isEmpty()
                    ? "nobody-" + suffix + "@example.com"
                    : emails.get(ThreadLocalRandom.current().nextInt(emails.size()));
            String requestId = UUID.randomUUID().toString();
            RecordHeaders headers = new RecordHeaders();
            headers.add(DetailsRequestParser.CORRELATION_ID, bytes(requestId));
            byte[] value = bytes("{\"email\":\"" + email + "\",\"requestId\":\"" + requestId + "\"}");
            long sentAt = System.nanoTime();
            requests.add(new Request(
                    requestId,
                    email,
                    sentAt,
                    send(new ProducerRecord<>(requestsTopic, null, bytes(email), value, headers))));
        }

        private CompletableFuture<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
            CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    acked.completeExceptionally(error);
                } else {
                    acked.complete(metadata);
                }
            });
            return acked;
        }

        List<Command> commandsSent() {
            return commands;
        }

        List<Request> requestsSent() {
            return requests;
        }

        /** Reads what arrived since the last read. */
        void read() {
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(50))) {
                PublishedRecords.assertConforms(record);
                JsonNode json = json(record);
                if (record.topic().equals(eventsTopic)) {
                    eventsByCommandId
                            .computeIfAbsent(json.path("commandId").asText(), k -> new ArrayList<>())
                            .add(json);
                } else {
                    repliesByRequestId
                            .computeIfAbsent(json.path("requestId").asText(), k -> new ArrayList<>())
                            .add(json);
                }
            }
        }

        /** Reads up to the end of the events and replies as they are now, so what was published is seen. */
        void catchUp() {
            Map<TopicPartition, Long> end = reader.endOffsets(reader.assignment(), Duration.ofSeconds(10));
            Awaitility.await("read events and replies up to their end")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        read();
                        return end.entrySet().stream()
                                .allMatch(e -> reader.position(e.getKey(), Duration.ofSeconds(10)) >= e.getValue());
                    });
        }

        /**
         * Per partition of the commands topic, the lowest offset of an acknowledged command that has no event among
         * what was read; partitions without one are absent.
         */
        Map<Integer, Long> firstUnappliedOffsets() {
            Map<Integer, Long> first = new HashMap<>();
            for (Command command : commands) {
                RecordMetadata metadata = command.acked().getNow(null);
                if (metadata != null && !applied(command)) {
                    first.merge(metadata.partition(), metadata.offset(), Math::min);
                }
            }
            return first;
        }

        boolean applied(Command command) {
            return eventsByCommandId.containsKey(command.commandId());
        }

        List<JsonNode> events(String commandId) {
            return eventsByCommandId.getOrDefault(commandId, List.of());
        }

        List<JsonNode> replies(String requestId) {
            return repliesByRequestId.getOrDefault(requestId, List.of());
        }

        void awaitEvents(int count, Duration timeout) {
            Awaitility.await("commands flowing")
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        read();
                        return eventsByCommandId.size() >= count;
                    });
        }

        void awaitCommandsSentAfter(long nanos, int count, Duration timeout) {
            Awaitility.await("commands sent after the fault")
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> commands.stream()
                                    .filter(c -> c.sentAtNanos() > nanos)
                                    .count()
                            >= count);
        }

        /** Waits until every command sent has an event and every request a reply. */
        void awaitAllAnswered(Duration timeout) {
            Awaitility.await("every command evented and every request answered")
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(10))
                    .untilAsserted(() -> {
                        read();
                        List<String> noEvent = commands.stream()
                                .filter(c -> !applied(c))
                                .map(Command::commandId)
                                .toList();
                        List<String> noReply = requests.stream()
                                .filter(r -> !repliesByRequestId.containsKey(r.requestId()))
                                .map(Request::requestId)
                                .toList();
                        assertTrue(
                                noEvent.isEmpty() && noReply.isEmpty(),
                                () -> noEvent.size() + " of "
                                        + commands.size() + " commands without an event (e.g. " + sample(noEvent)
                                        + "), "
                                        + noReply.size() + " of " + requests.size() + " requests without a reply");
                    });
        }

        /**
         * Every command applied: its first event is what applying its email's commands once, in order, gives; any
         * further event of it (a redelivery) is ALREADY_SUBSCRIBED for a subscribe, NOT_SUBSCRIBED or
         * UNSUBSCRIBE_REQUESTED for an unsubscribe; each email's workflow is RUNNING or CANCELED as its last command
         * says; every request has a reply. Call after {@link #awaitAllAnswered}.
         */
        Summary assertInvariant(WorkflowClient temporal, Duration timeout) {
            catchUp();
            Map<String, String> expectedOutcomes = new HashMap<>();
            commandsByEmail.values().forEach(sequence -> {
                boolean subscribed = false;
                for (Command command : sequence) {
                    boolean subscribe = command.type().equals("subscribe");
                    expectedOutcomes.put(
                            command.commandId(),
                            subscribe
                                    ? (subscribed ? "ALREADY_SUBSCRIBED" : "SUBSCRIBED")
                                    : (subscribed ? "UNSUBSCRIBE_REQUESTED" : "NOT_SUBSCRIBED"));
                    subscribed = subscribe;
                }
            });
            int duplicateEvents = 0;
            List<String> problems = new ArrayList<>();
            for (Command command : commands) {
                List<JsonNode> events = events(command.commandId());
                if (events.isEmpty()) {
                    problems.add(command.commandId() + ": no event");
                    continue;
                }
                String expected = expectedOutcomes.get(command.commandId());
                Set<String> allowedAgain = command.type().equals("subscribe")
                        ? Set.of("ALREADY_SUBSCRIBED")
                        : Set.of("NOT_SUBSCRIBED", "UNSUBSCRIBE_REQUESTED");
                for (int i = 0; i < events.size(); i++) {
                    JsonNode event = events.get(i);
                    String outcome = event.path("outcome").asText();
                    if (!command.email().equals(event.path("email").asText())
                            || !command.type().equals(event.path("type").asText())) {
                        problems.add(command.commandId() + ": event for another command " + event);
                    } else if (i == 0 && !outcome.equals(expected)) {
                        problems.add(command.commandId() + " (" + command.type() + " #" + command.position()
                                + " of " + command.email() + "): first outcome " + outcome + ", expected "
                                + expected);
                    } else if (i > 0 && !allowedAgain.contains(outcome)) {
                        problems.add(command.commandId() + " (" + command.type() + " #" + command.position() + " of "
                                + command.email() + "): duplicate event " + (i + 1) + " says " + outcome);
                    }
                }
                duplicateEvents += events.size() - 1;
            }
            int duplicateReplies = 0;
            Map<String, Integer> replyStatuses = new HashMap<>();
            for (Request request : requests) {
                List<JsonNode> replies = replies(request.requestId());
                if (replies.isEmpty()) {
                    problems.add("request " + request.requestId() + ": no reply");
                    continue;
                }
                duplicateReplies += replies.size() - 1;
                replyStatuses.merge(replies.get(0).path("status").asText(), 1, Integer::sum);
                replies.stream()
                        .filter(r -> !request.email().equals(r.path("email").asText()))
                        .findFirst()
                        .ifPresent(r -> problems.add("request " + request.requestId() + ": reply for another " + r));
            }
            if (!problems.isEmpty()) {
                fail(problems.size() + " broken promises:\n  " + String.join("\n  ", sample(problems, 30)));
            }
            awaitFinalStates(temporal, timeout);
            return new Summary(
                    commands.size(),
                    commandsByEmail.size(),
                    requests.size(),
                    duplicateEvents,
                    duplicateReplies,
                    replyStatuses);
        }

        /** RUNNING when an email's last command was a subscribe, CANCELED (goodbye sent) when an unsubscribe. */
        private void awaitFinalStates(WorkflowClient temporal, Duration timeout) {
            Set<String> pending = new HashSet<>(commandsByEmail.keySet());
            Map<String, String> wrong = new HashMap<>();
            Awaitility.await("every workflow as its email's last command says")
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        wrong.clear();
                        for (String email : List.copyOf(pending)) {
                            List<Command> sequence = commandsByEmail.get(email);
                            WorkflowExecutionStatus expected =
                                    sequence.get(sequence.size() - 1).type().equals("subscribe")
                                            ? WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                                            : WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED;
                            WorkflowExecutionStatus actual = status(temporal, email);
                            if (actual == expected) {
                                pending.remove(email);
                            } else {
                                wrong.put(email, actual + ", expected " + expected);
                            }
                        }
                        assertEquals(
                                Map.of(),
                                wrong.size() > 10 ? sample(wrong) : wrong,
                                wrong.size() + " workflows not as their last command says");
                    });
        }

        /** A group's committed offsets, partitions without a commit left out. */
        static Map<TopicPartition, Long> committed(Admin admin, String group)
                throws InterruptedException, ExecutionException {
            Map<TopicPartition, Long> committed = new HashMap<>();
            admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .forEach((p, offset) -> {
                        if (offset != null) {
                            committed.put(p, offset.offset());
                        }
                    });
            return committed;
        }

        /** The end offset of every partition of the topic. */
        static Map<TopicPartition, Long> endOffsets(Admin admin, String topic)
                throws InterruptedException, ExecutionException {
            int partitions = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((p, info) -> end.put(p, info.offset()));
            return end;
        }

        private static WorkflowExecutionStatus status(WorkflowClient temporal, String email) {
            try {
                return temporal.newUntypedWorkflowStub(email).describe().getStatus();
            } catch (WorkflowNotFoundException e) {
                return null;
            }
        }

        private static <T> List<T> sample(List<T> list) {
            return sample(list, 5);
        }

        private static <T> List<T> sample(List<T> list, int max) {
            return list.size() <= max ? list : list.subList(0, max);
        }

        private static Map<String, String> sample(Map<String, String> map) {
            Map<String, String> some = new HashMap<>();
            map.entrySet().stream().limit(10).forEach(e -> some.put(e.getKey(), e.getValue()));
            return some;
        }

        private static JsonNode json(ConsumerRecord<byte[], byte[]> record) {
            try {
                return Json.MAPPER.readTree(record.value());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static byte[] bytes(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            if (stream != null) {
                stream.shutdownNow();
            }
            producer.close(Duration.ofSeconds(5));
            reader.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }
}
