package com.example.subscriptions.faults;

import static org.junit.jupiter.api.Assertions.fail;

import com.example.subscriptions.contract.PublishedRecords;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.devstack.TestKafka;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.core.ConditionFactory;

/**
 * What the service published: its events and details replies, read from the beginning without a group (so nothing of
 * the reader changes when the broker restarts), each record held to the contract as it is read. Use from one thread.
 */
public final class EventLog implements AutoCloseable {

    /** One event: its command, type, email, outcome, and where and when it was published. */
    public record Event(
            String commandId, String type, String email, String outcome, int partition, long offset, String at) {
        @Override
        public String toString() {
            return outcome + "@" + partition + "/" + offset + " " + at;
        }
    }

    /** One details reply. */
    public record Reply(String requestId, String email, String status) {}

    private final String eventsTopic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, List<Event>> byCommand = new HashMap<>();
    private final Map<String, List<Reply>> byRequest = new HashMap<>();
    private volatile int size;

    /** @param topics the service's topics by setting ({@code topics.events}, ...), as {@code ServiceFixture} has */
    public EventLog(String bootstrapServers, Map<String, String> topics) {
        this.eventsTopic = topics.get("topics.events");
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = Stream.of(eventsTopic, topics.get("topics.details-replies"))
                .flatMap(topic -> consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** From the test broker. */
    public EventLog(Map<String, String> topics) {
        this(TestKafka.bootstrapServers(), topics);
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
            if (record.topic().equals(eventsTopic)) {
                Event event = new Event(
                        text(json, "commandId"),
                        text(json, "type"),
                        text(json, "email"),
                        text(json, "outcome"),
                        record.partition(),
                        record.offset(),
                        text(json, "at"));
                byCommand
                        .computeIfAbsent(event.commandId(), k -> new ArrayList<>())
                        .add(event);
                size++;
            } else {
                Reply reply = new Reply(text(json, "requestId"), text(json, "email"), text(json, "status"));
                byRequest
                        .computeIfAbsent(reply.requestId(), k -> new ArrayList<>())
                        .add(reply);
            }
        }
        return size;
    }

    /** Reads up to the end of the events and replies as they are now, so that what was published is seen. */
    public void catchUp() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(10));
        FaultChecks.await(Duration.ofSeconds(30)).alias("read up to the end").until(() -> {
            poll();
            return end.entrySet().stream()
                    .allMatch(e -> consumer.position(e.getKey(), Duration.ofSeconds(10)) >= e.getValue());
        });
    }

    /** How many events the last {@link #poll()} had seen; safe to read from any thread. */
    public int size() {
        return size;
    }

    /** One command's events, in the order they were published (all on its email's partition). */
    public List<Event> of(String commandId) {
        return List.copyOf(byCommand.getOrDefault(commandId, List.of()));
    }

    /** The outcomes of one command's events, in the order they were published. */
    public List<String> outcomes(String commandId) {
        return of(commandId).stream().map(Event::outcome).toList();
    }

    public boolean applied(Command command) {
        return byCommand.containsKey(command.commandId());
    }

    public Set<String> commandIds() {
        return Collections.unmodifiableSet(byCommand.keySet());
    }

    public List<Reply> replies(String requestId) {
        return List.copyOf(byRequest.getOrDefault(requestId, List.of()));
    }

    /**
     * Per partition of the commands topic, the offset of the first command sent that has no event among what was
     * read: how far the service may have committed, at most. Partitions with none are absent.
     */
    public Map<Integer, Long> firstUnapplied(Collection<Traffic.Sent> sent) {
        Map<Integer, Long> first = new HashMap<>();
        for (Traffic.Sent one : sent) {
            RecordMetadata metadata = one.acked().getNow(null);
            if (metadata != null && !applied(one.command())) {
                first.merge(metadata.partition(), metadata.offset(), Math::min);
            }
        }
        return first;
    }

    /** Waits until there are at least {@code count} events; fails at once when {@code failIf} says so. */
    public void awaitSize(int count, Duration timeout, String failReason, Callable<Boolean> failIf) {
        ConditionFactory wait = FaultChecks.await(timeout);
        if (failIf != null) {
            wait = wait.failFast(failReason, failIf);
        }
        wait.alias(count + " events").until(() -> poll() >= count);
    }

    /** Waits until every command has at least {@code eachAtLeast} events and every request a reply. */
    public void awaitAll(
            Collection<Command> commands, Collection<Traffic.Request> requests, int eachAtLeast, Duration timeout) {
        List<Command> waiting = new ArrayList<>(commands);
        List<Traffic.Request> unanswered = new ArrayList<>(requests);
        FaultChecks.await(timeout).untilAsserted(() -> {
            poll();
            waiting.removeIf(
                    c -> byCommand.getOrDefault(c.commandId(), List.of()).size() >= eachAtLeast);
            unanswered.removeIf(r -> byRequest.containsKey(r.requestId()));
            if (!waiting.isEmpty() || !unanswered.isEmpty()) {
                fail(waiting.size() + " of " + commands.size() + " commands have fewer than " + eachAtLeast
                        + " events, e.g. " + waiting.subList(0, Math.min(5, waiting.size())) + " (" + size
                        + " events in all); " + unanswered.size() + " of " + requests.size()
                        + " requests have no reply");
            }
        });
    }

    public void awaitAll(Collection<Command> commands, int eachAtLeast, Duration timeout) {
        awaitAll(commands, List.of(), eachAtLeast, timeout);
    }

    private static String text(JsonNode json, String field) {
        return json.path(field).asText(null);
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
