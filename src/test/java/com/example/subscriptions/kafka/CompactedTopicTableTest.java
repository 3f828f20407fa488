package com.example.subscriptions.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The table against a consumer the test feeds: what it holds, and when it says it has caught up. */
class CompactedTopicTableTest {

    private static final String TOPIC = "suppressions";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Node NODE = new Node(0, "localhost", 9092);

    private final LoopHarness.WaitingConsumer consumer = new LoopHarness.WaitingConsumer();
    private final CompactedTopicTable<String> table = new CompactedTopicTable<>(
            TOPIC,
            consumer,
            value -> {
                String text = new String(value, UTF_8);
                if (text.startsWith("bad")) {
                    throw new IllegalArgumentException("unreadable");
                }
                return text;
            },
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(10)));

    @AfterEach
    void closeTable() {
        table.close();
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5));
    }

    /** A topic whose partitions hold {@code ends} records each, the table started on it and its partitions taken. */
    private void startOn(long p0End, long p1End) {
        consumer.updatePartitions(
                TOPIC,
                List.of(
                        new PartitionInfo(TOPIC, 0, NODE, new Node[] {NODE}, new Node[] {NODE}),
                        new PartitionInfo(TOPIC, 1, NODE, new Node[] {NODE}, new Node[] {NODE})));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.updateEndOffsets(Map.of(P0, p0End, P1, p1End));
        table.start();
        eventually().until(() -> consumer.assignment().size() == 2);
    }

    private void record(TopicPartition partition, long offset, String key, String value) {
        consumer.addRecord(new ConsumerRecord<>(
                TOPIC,
                partition.partition(),
                offset,
                key == null ? null : key.getBytes(UTF_8),
                value == null ? null : value.getBytes(UTF_8)));
    }

    @Test
    void loadsTheWholeTopicKeepingEachKeysLatestValue() {
        startOn(3, 1);
        assertFalse(table.loaded().isDone(), "loaded before reading anything");

        record(P0, 0, "alice", "bounce");
        record(P0, 1, "bob", "complaint");
        record(P0, 2, "alice", null);
        record(P1, 0, "carol", "bounce");

        eventually().until(() -> table.loaded().isDone());
        assertEquals(Optional.empty(), table.get("alice"));
        assertEquals(Optional.of("complaint"), table.get("bob"));
        assertEquals(Optional.of("bounce"), table.get("carol"));
        assertEquals(2, table.size());
    }

    @Test
    void anEmptyTopicIsLoadedAtOnce() {
        startOn(0, 0);

        eventually().until(() -> table.loaded().isDone());
        assertEquals(0, table.size());
    }

    @Test
    void caughtUpWaitsForWhatWasWrittenBeforeItWasAsked() {
        startOn(0, 0);
        eventually().until(() -> table.loaded().isDone());

        // Another instance wrote bob's entry before a rebalance; this table has not read it yet.
        consumer.updateEndOffsets(Map.of(P0, 1L, P1, 0L));
        CompletableFuture<Void> caughtUp = table.caughtUp();
        eventually().during(Duration.ofMillis(200)).until(() -> !caughtUp.isDone());

        record(P0, 0, "bob", "bounce");

        eventually().until(caughtUp::isDone);
        assertEquals(Optional.of("bounce"), table.get("bob"));
    }

    @Test
    void caughtUpWithNothingNewCompletesAtOnce() {
        startOn(1, 0);
        record(P0, 0, "bob", "bounce");
        eventually().until(() -> table.loaded().isDone());

        eventually().atMost(Duration.ofMillis(900)).until(table.caughtUp()::isDone);
    }

    @Test
    void whatThisProcessWroteIsThereAtOnceAndNoOlderRecordOverwritesIt() {
        startOn(0, 0);
        eventually().until(() -> table.loaded().isDone());

        table.written("bob", "complaint", 0, 7);
        table.written("carol", null, 1, 4);
        assertEquals(Optional.of("complaint"), table.get("bob"));
        assertEquals(1, table.size());

        // The reader lags behind and meets older records of both keys, then the written ones themselves.
        record(P0, 5, "bob", null);
        record(P1, 3, "carol", "bounce");
        eventually().until(() -> consumer.position(P0) == 6 && consumer.position(P1) == 4);
        assertEquals(Optional.of("complaint"), table.get("bob"));
        assertEquals(Optional.empty(), table.get("carol"));

        record(P0, 7, "bob", "complaint");
        record(P1, 4, "carol", null);
        record(P1, 5, "carol", "bounce");
        eventually().until(() -> table.get("carol").isPresent());
        assertEquals(Optional.of("complaint"), table.get("bob"));
        assertEquals(2, table.size());
    }

    @Test
    void unreadableRecordsAreSkippedAndTheRestIsRead() {
        startOn(3, 0);

        record(P0, 0, "bob", "bounce");
        record(P0, 1, "bob", "bad value");
        record(P0, 2, null, "bounce");

        eventually().until(() -> table.loaded().isDone());
        assertEquals(Optional.of("bounce"), table.get("bob"));
        assertEquals(1, table.size());
    }

    @Test
    void closingFailsWhatStillWaits() {
        startOn(5, 0);

        CompletableFuture<Void> loaded = table.loaded();
        table.close();

        eventually().until(loaded::isCompletedExceptionally);
    }
}
