package com.example.subscriptions.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the real {@link ConsumerLoop} on its own thread against a {@link MockConsumer} (subscribed to two partitions)
 * and a {@link MockProducer} for dead letters. Each attempt of each record is a future the test completes, so a test
 * decides exactly which records are in flight.
 */
class ConsumerLoopTest {

    private static final String TOPIC = "commands";
    private static final String DEAD_LETTER_TOPIC = "commands.dlt";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Backoff TINY_BACKOFF = new Backoff(Duration.ofMillis(1), Duration.ofMillis(10));
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
    /** Records whose value starts with this make the handler's {@code plan} throw. */
    private static final String POISON = "poison";

    private final RecordingConsumer consumer = new RecordingConsumer();
    private final Attempts attempts = new Attempts();
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    private final AtomicReference<Throwable> loopCrash = new AtomicReference<>();
    /** What the handler was told of assignments, and whether the loop had said it joined the group by then. */
    private final List<String> assignments = new CopyOnWriteArrayList<>();
    private MockProducer<byte[], byte[]> deadLetterProducer;
    private ConsumerLoop loop;
    private int probes;

    @AfterEach
    void stopTheLoop() throws InterruptedException {
        if (loop == null) {
            return;
        }
        attempts.completeAllNowAndLater();
        while (deadLetterProducer.completeNext()) {
            // ack whatever a test left unacknowledged, so the drain does not wait for it
        }
        loop.stop();
        assertTrue(loop.awaitStopped(Duration.ofSeconds(15)), "the loop did not stop");
        assertNull(loopCrash.get(), "the loop thread died");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Ordering and concurrency

    @Test
    void recordsOfOneKeyRunOneAtATimeInOffsetOrderWhileOtherKeysRunConcurrently() {
        start(4);
        send(P0, "A", "A", "B", "A"); // offsets 0, 1, 2, 3 in one poll

        Attempt a0 = attempt(P0, 0);
        attempt(P0, 2); // B starts while A's first record is still running
        letTheLoopGoRound();
        assertFalse(started(P0, 1), "A@1 must wait for A@0");
        assertFalse(started(P0, 3), "A@3 must wait for A@0 and A@1");

        a0.succeed();
        Attempt a1 = attempt(P0, 1);
        letTheLoopGoRound();
        assertFalse(started(P0, 3), "A@3 must wait for A@1");

        a1.succeed();
        attempt(P0, 3).succeed();
        assertEquals(List.of(0L, 1L, 3L), attempts.startedOffsetsOf("A"));
        assertEquals(1, attempts.maxRunningOf("A"), "two records of key A ran at once");
    }

    @Test
    void theHandlerHearsOfAssignedPartitionsBeforeTheLoopCountsAsJoined() {
        start(1);

        assertEquals(1, assignments.size(), assignments.toString());
        String told = assignments.get(0);
        assertTrue(told.contains(P0.toString()) && told.contains(P1.toString()) && told.endsWith("before joining"),
                told);
    }

    @Test
    void neverRunsMoreThanMaxInFlightAttemptsAtOnce() {
        start(3);
        send(P0, "K0", "K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8", "K9");

        eventually().until(() -> attempts.running() == 3);
        letTheLoopGoRound();
        assertEquals(3, attempts.running(), "a fourth key started although three were in flight");

        for (long offset = 0; offset < 10; offset++) {
            attempt(P0, offset).succeed(); // each completion frees one slot for the next key
        }
        awaitCommitted(P0, 10);
        assertEquals(3, attempts.maxRunning());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Commits

    @Test
    void committedOffsetNeverPassesAnUnfinishedRecord() {
        start(4);
        send(P0, "A", "B", "C");
        Attempt first = attempt(P0, 0);
        attempt(P0, 1).succeed();
        attempt(P0, 2).succeed();

        awaitACommitRound();
        assertCommittedAtMost(P0, 0);

        first.succeed();
        awaitCommitted(P0, 3);
        assertCommittedAtMost(P0, 3);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Retries

    @Test
    void failedAttemptIsRetriedWhileLaterRecordsOfItsKeyWaitAndOtherKeysGoOn() {
        start(4);
        send(P0, "A", "A", "B"); // A@0, A@1, B@2

        attempt(P0, 0, 1).fail();
        attempt(P0, 0, 2).fail();
        Attempt third = attempt(P0, 0, 3);

        attempt(P0, 2).succeed(); // B is not held up by A's retries
        send(P0, "B"); // B@3 arrives and runs while A@0 is still being retried
        attempt(P0, 3).succeed();
        letTheLoopGoRound();
        assertFalse(started(P0, 1), "A@1 started before A@0 succeeded");
        assertCommittedAtMost(P0, 0);

        third.succeed();
        attempt(P0, 1).succeed();
        awaitCommitted(P0, 4);
        assertEquals(List.of(0L, 0L, 0L, 1L), attempts.startedOffsetsOf("A"));
    }

    @Test
    void finishedIsReportedOnceAfterRetriesAndDeadLettersOnThePollThread() {
        start(4);
        send(P0, "A", "B");

        attempt(P0, 0, 1).fail();
        attempt(P0, 1).deadLetter("bad");
        letTheLoopGoRound();
        attempt(P0, 0, 2).succeed();
        awaitCommitted(P0, 2);

        assertEquals(2, attempts.finished.size(), "once each: " + attempts.finished);
        assertEquals(Set.of("0 on consumer-loop-under-test", "1 on consumer-loop-under-test"),
                Set.copyOf(attempts.finished));
    }

    @Test
    void attemptThatThrowsInsteadOfFailingItsFutureIsRetried() {
        start(4);
        attempts.throwOnFirstAttemptOf(new RecordId(0, 0));
        send(P0, "A");

        attempt(P0, 0, 2).succeed();
        awaitCommitted(P0, 1);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Dead letters

    @Test
    void deadLetterCopiesKeyValueAndHeadersAndIsCommittedOnlyOnceTheDeadLetterIsAcked() {
        startWithManualDeadLetterAcks(4);
        Headers headers = new RecordHeaders().add("trace-id", bytes("t-1")).add("type", bytes("subscribe"));
        sendRecord(P0, "A", "undeliverable", headers);

        attempt(P0, 0).deadLetter("no such subscriber");
        ProducerRecord<byte[], byte[]> copy = awaitDeadLetter(1);
        assertEquals(DEAD_LETTER_TOPIC, copy.topic());
        assertEquals("A", text(copy.key()));
        assertEquals("undeliverable", text(copy.value()));
        assertHeader(copy, "trace-id", "t-1");
        assertHeader(copy, "type", "subscribe");
        assertHeader(copy, DeadLetters.ORIGINAL_TOPIC, TOPIC);
        assertHeader(copy, DeadLetters.ORIGINAL_PARTITION, "0");
        assertHeader(copy, DeadLetters.ORIGINAL_OFFSET, "0");
        assertHeader(copy, DeadLetters.REASON, "no such subscriber");

        awaitACommitRound();
        assertCommittedAtMost(P0, 0);

        assertTrue(deadLetterProducer.completeNext());
        awaitCommitted(P0, 1);
    }

    @Test
    void deadLetterSendThatFailsIsRetriedWithoutTheOriginalHeadersWhenTooLarge() {
        startWithManualDeadLetterAcks(4);
        sendRecord(P0, "A", "big", new RecordHeaders().add("trace-id", bytes("t-1")));

        attempt(P0, 0).deadLetter("unsupported");
        awaitDeadLetter(1);
        assertTrue(deadLetterProducer.errorNext(new RecordTooLargeException("too large")));

        ProducerRecord<byte[], byte[]> retry = awaitDeadLetter(2);
        assertNull(retry.headers().lastHeader("trace-id"));
        assertNotNull(retry.headers().lastHeader(DeadLetters.HEADERS_DROPPED));
        assertHeader(retry, DeadLetters.ORIGINAL_OFFSET, "0");
        assertEquals("big", text(retry.value()));
        assertCommittedAtMost(P0, 0);

        assertTrue(deadLetterProducer.completeNext());
        awaitCommitted(P0, 1);
    }

    @Test
    void handlerWhosePlanThrowsIsDeadLetteredAndLaterRecordsAreStillHandled() {
        start(4);
        send(P0, "A");
        sendRecord(P0, "A", POISON + ": not json", new RecordHeaders());
        send(P0, "A"); // A@0, poison@1, A@2

        attempt(P0, 0).succeed();
        ProducerRecord<byte[], byte[]> copy = awaitDeadLetter(1);
        assertEquals(POISON + ": not json", text(copy.value()));
        assertHeader(copy, DeadLetters.ORIGINAL_OFFSET, "1");
        assertTrue(text(copy.headers().lastHeader(DeadLetters.REASON).value()).startsWith("handler failed: "));

        attempt(P0, 2).succeed();
        awaitCommitted(P0, 3);
        assertFalse(started(P0, 1), "the poison record has no work of its own");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Backpressure

    @Test
    void tooManyBufferedRecordsPauseFetchingWhilePollingGoesOnAndFinishedWorkResumesIt() {
        start(2); // a free slot: a record fetched from a paused partition would start at once
        int count = settings(2, DRAIN_TIMEOUT).maxBuffered() + 44;
        send(P0, keys("A", count)); // one key, so the first record holds all the others back
        attempt(P0, 0);

        eventually().until(() -> consumer.paused().equals(Set.of(P0, P1)));
        long pollsWhenPaused = consumer.polls();
        eventually().until(() -> consumer.polls() > pollsWhenPaused + 10);
        send(P0, "late"); // fetched only once fetching resumes
        letTheLoopGoRound();
        assertFalse(started(P0, count), "a record was fetched from a paused partition");

        attempts.completeAllNowAndLater();
        eventually().until(() -> consumer.paused().isEmpty());
        awaitCommitted(P0, count + 1);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Shutdown and rebalancing

    @Test
    void stopWaitsForRunningWorkCommitsItAndLeavesQueuedRecordsUncommitted() throws InterruptedException {
        start(4);
        send(P0, "A", "A"); // A@1 is queued behind A@0
        send(P1, "B");
        Attempt a0 = attempt(P0, 0);
        Attempt b0 = attempt(P1, 0);

        loop.stop();
        assertFalse(loop.awaitStopped(Duration.ofMillis(200)), "stopped without waiting for running work");
        a0.succeed();
        b0.succeed();

        assertTrue(loop.awaitStopped(Duration.ofSeconds(10)));
        assertEquals(Map.of(P0, 1L, P1, 1L), consumer.committedWhenClosed());
        assertFalse(started(P0, 1), "a queued record was started during shutdown");
        assertCommittedAtMost(P0, 1);
    }

    @Test
    void stopGivesUpWorkThatOutlivesTheDrainTimeout() throws InterruptedException {
        start(4, Duration.ofMillis(300));
        send(P0, "A", "B");
        attempt(P0, 0); // never finishes
        attempt(P0, 1).succeed();

        loop.stop();
        assertTrue(loop.awaitStopped(Duration.ofSeconds(10)));
        assertCommittedAtMost(P0, 0);
    }

    @Test
    void revocationWaitsForRunningWorkOfRevokedPartitionsAndCommitsIt() throws InterruptedException {
        start(4);
        send(P0, "A", "A"); // A@1 is queued behind A@0
        send(P1, "B");
        Attempt a0 = attempt(P0, 0);
        Attempt b0 = attempt(P1, 0);

        CountDownLatch revoking = new CountDownLatch(1);
        CountDownLatch rebalanced = new CountDownLatch(1);
        consumer.schedulePollTask(() -> { // rebalance on the poll thread, as a real consumer does
            revoking.countDown();
            consumer.rebalance(List.of(P1));
            rebalanced.countDown();
        });
        assertTrue(revoking.await(5, TimeUnit.SECONDS));
        assertFalse(rebalanced.await(200, TimeUnit.MILLISECONDS), "revocation did not wait for A@0");
        assertCommittedAtMost(P0, 0);

        a0.succeed();
        assertTrue(rebalanced.await(5, TimeUnit.SECONDS));
        assertEquals(1L, consumer.lastCommitted(P0));
        assertFalse(started(P0, 1), "queued work of a revoked partition was started");
        assertCommittedAtMost(P0, 1);

        b0.succeed(); // work of the partition kept goes on as usual
        awaitCommitted(P1, 1);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Starting the loop

    private void start(int maxInFlight) {
        start(maxInFlight, DRAIN_TIMEOUT, true);
    }

    private void start(int maxInFlight, Duration drainTimeout) {
        start(maxInFlight, drainTimeout, true);
    }

    private void startWithManualDeadLetterAcks(int maxInFlight) {
        start(maxInFlight, DRAIN_TIMEOUT, false);
    }

    private void start(int maxInFlight, Duration drainTimeout, boolean autoAckDeadLetters) {
        deadLetterProducer = new MockProducer<>(autoAckDeadLetters, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        RecordHandler handler = new RecordHandler() {
            @Override
            public Work plan(ConsumerRecord<byte[], byte[]> record) {
                return ConsumerLoopTest.this.plan(record);
            }

            @Override
            public void assigned(Collection<TopicPartition> partitions) {
                assignments.add(Set.copyOf(partitions) + (loop.joinedGroup() ? " after" : " before") + " joining");
            }
        };
        loop = new ConsumerLoop(settings(maxInFlight, drainTimeout), consumer, new KafkaPublisher(deadLetterProducer),
                handler);
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
        Thread thread = new Thread(loop, "consumer-loop-under-test");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> loopCrash.set(e));
        thread.start();
        eventually().until(loop::joinedGroup);
    }

    private static LoopSettings settings(int maxInFlight, Duration drainTimeout) {
        return new LoopSettings("test", TOPIC, DEAD_LETTER_TOPIC, maxInFlight, drainTimeout, TINY_BACKOFF);
    }

    /** The handler under test: work ordered by the record key, whose attempts the test completes. */
    private Work plan(ConsumerRecord<byte[], byte[]> record) {
        if (text(record.value()).startsWith(POISON)) {
            throw new IllegalArgumentException("cannot parse " + text(record.value()));
        }
        return new TestWork(text(record.key()), new RecordId(record.partition(), record.offset()), attempts);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Records in

    /** Adds one record per key, at the partition's next offsets, all fetched by the same poll. */
    private void send(TopicPartition partition, String... keys) {
        synchronized (consumer) { // MockConsumer's methods lock it, so no poll runs in between
            for (String key : keys) {
                sendRecord(partition, key, "value of " + key, new RecordHeaders());
            }
        }
    }

    private long sendRecord(TopicPartition partition, String key, String value, Headers headers) {
        long offset = nextOffsets.merge(partition, 1L, Long::sum) - 1;
        consumer.addRecord(new ConsumerRecord<>(partition.topic(), partition.partition(), offset,
                System.currentTimeMillis(), TimestampType.CREATE_TIME, key.length(), value.length(), bytes(key),
                bytes(value), headers, Optional.empty()));
        return offset;
    }

    private static String[] keys(String key, int count) {
        String[] keys = new String[count];
        Arrays.fill(keys, key);
        return keys;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Observing the loop

    /** The first attempt of a record, once it started. */
    private Attempt attempt(TopicPartition partition, long offset) {
        return attempt(partition, offset, 1);
    }

    /** The {@code number}th (1-based) attempt of a record, once it started. */
    private Attempt attempt(TopicPartition partition, long offset, int number) {
        RecordId id = new RecordId(partition.partition(), offset);
        eventually().until(() -> attempts.of(id).size() >= number);
        return attempts.of(id).get(number - 1);
    }

    private boolean started(TopicPartition partition, long offset) {
        return !attempts.of(new RecordId(partition.partition(), offset)).isEmpty();
    }

    /** Returns once the loop went round twice, so whatever it was about to start has started. */
    private void letTheLoopGoRound() {
        long target = consumer.polls() + 2;
        eventually().until(() -> consumer.polls() >= target);
    }

    /**
     * Returns once the loop made a periodic commit after handling everything completed before this call: a probe
     * record on P1 completes after them, and its commit includes every partition's committable offset.
     */
    private void awaitACommitRound() {
        long offset = sendRecord(P1, "probe-" + probes++, "probe", new RecordHeaders());
        attempt(P1, offset).succeed();
        awaitCommitted(P1, offset + 1);
    }

    private void awaitCommitted(TopicPartition partition, long offset) {
        eventually().until(() -> Long.valueOf(offset).equals(consumer.lastCommitted(partition)));
    }

    private void assertCommittedAtMost(TopicPartition partition, long offset) {
        long highest = consumer.highestCommitted(partition);
        assertTrue(highest <= offset, () -> partition + " was committed up to " + highest + ", beyond " + offset);
    }

    private ProducerRecord<byte[], byte[]> awaitDeadLetter(int number) {
        eventually().until(() -> deadLetterProducer.history().size() >= number);
        return deadLetterProducer.history().get(number - 1);
    }

    private static void assertHeader(ProducerRecord<byte[], byte[]> record, String name, String expected) {
        Header header = record.headers().lastHeader(name);
        assertNotNull(header, () -> "no header " + name);
        assertEquals(expected, text(header.value()), name);
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, UTF_8);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Test doubles

    record RecordId(int partition, long offset) {
    }

    private record TestWork(String key, RecordId id, Attempts attempts) implements Work {

        @Override
        public Object orderingKey() {
            return key;
        }

        @Override
        public CompletionStage<Disposition> attempt() {
            return attempts.start(id, key);
        }

        @Override
        public void finished() {
            attempts.finished.add(id.offset() + " on " + Thread.currentThread().getName());
        }
    }

    /** Every attempt the loop started, in order, and how many run at once (in total and per key). */
    private static final class Attempts {
        private final Map<RecordId, List<Attempt>> byRecord = new ConcurrentHashMap<>();
        private final List<Attempt> all = new CopyOnWriteArrayList<>();
        /** Offsets of partition 0 as the loop reported them finished, with the thread it did it on. */
        private final List<String> finished = new CopyOnWriteArrayList<>();
        private final Set<RecordId> throwOnFirstAttempt = ConcurrentHashMap.newKeySet();
        private final AtomicInteger running = new AtomicInteger();
        private final AtomicInteger maxRunning = new AtomicInteger();
        private final Map<String, AtomicInteger> runningByKey = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> maxRunningByKey = new ConcurrentHashMap<>();
        private volatile boolean autoComplete;

        CompletionStage<Disposition> start(RecordId id, String key) {
            Attempt attempt = new Attempt(id, key, this);
            all.add(attempt);
            byRecord.computeIfAbsent(id, i -> new CopyOnWriteArrayList<>()).add(attempt);
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            int ofKey = runningByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            maxRunningByKey.computeIfAbsent(key, k -> new AtomicInteger()).accumulateAndGet(ofKey, Math::max);
            if (throwOnFirstAttempt.remove(id)) {
                attempt.end();
                throw new IllegalStateException("attempt could not even start");
            }
            if (autoComplete) {
                attempt.succeed();
            }
            return attempt.result;
        }

        void ended(Attempt attempt) {
            running.decrementAndGet();
            runningByKey.get(attempt.key).decrementAndGet();
        }

        void throwOnFirstAttemptOf(RecordId id) {
            throwOnFirstAttempt.add(id);
        }

        /** Succeeds every attempt still running, and every later one as soon as it starts. */
        void completeAllNowAndLater() {
            autoComplete = true;
            all.forEach(Attempt::succeed);
        }

        List<Attempt> of(RecordId id) {
            return byRecord.getOrDefault(id, List.of());
        }

        List<Long> startedOffsetsOf(String key) {
            return all.stream().filter(a -> a.key.equals(key)).map(a -> a.id.offset()).toList();
        }

        int running() {
            return running.get();
        }

        int maxRunning() {
            return maxRunning.get();
        }

        int maxRunningOf(String key) {
            return maxRunningByKey.getOrDefault(key, new AtomicInteger()).get();
        }
    }

    /** One attempt; the test decides how and when it ends. */
    private static final class Attempt {
        final RecordId id;
        final String key;
        final CompletableFuture<Disposition> result = new CompletableFuture<>();
        private final Attempts attempts;
        private final AtomicBoolean over = new AtomicBoolean();

        Attempt(RecordId id, String key, Attempts attempts) {
            this.id = id;
            this.key = key;
            this.attempts = attempts;
        }

        void succeed() {
            if (end()) {
                result.complete(Disposition.DONE);
            }
        }

        void fail() {
            if (end()) {
                result.completeExceptionally(new IllegalStateException("simulated failure of " + id));
            }
        }

        void deadLetter(String reason) {
            if (end()) {
                result.complete(Disposition.deadLetter(reason));
            }
        }

        /** Counts the attempt as no longer running, before the loop hears of it; false if it already ended. */
        boolean end() {
            if (!over.compareAndSet(false, true)) {
                return false;
            }
            attempts.ended(this);
            return true;
        }
    }

    /** Remembers every commit, and what was committed when the loop closed the consumer. */
    private static final class RecordingConsumer extends MockConsumer<byte[], byte[]> {
        private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
        private final Map<TopicPartition, Long> highestCommitted = new ConcurrentHashMap<>();
        private final AtomicLong polls = new AtomicLong();
        private volatile Map<TopicPartition, Long> committedWhenClosed;

        RecordingConsumer() {
            super("earliest");
        }

        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            try {
                return super.poll(timeout);
            } finally {
                polls.incrementAndGet();
            }
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                OffsetCommitCallback callback) {
            offsets.forEach((partition, offset) -> {
                committed.put(partition, offset.offset());
                highestCommitted.merge(partition, offset.offset(), Math::max);
            });
            super.commitAsync(offsets, callback); // commitSync comes here too
        }

        @Override
        public synchronized void close(Duration timeout) {
            committedWhenClosed = Map.copyOf(committed);
            super.close(timeout);
        }

        long polls() {
            return polls.get();
        }

        /** The last committed offset of a partition, or null; readable after the consumer closed. */
        Long lastCommitted(TopicPartition partition) {
            return committed.get(partition);
        }

        long highestCommitted(TopicPartition partition) {
            return highestCommitted.getOrDefault(partition, -1L);
        }

        Map<TopicPartition, Long> committedWhenClosed() {
            return committedWhenClosed;
        }
    }
}
