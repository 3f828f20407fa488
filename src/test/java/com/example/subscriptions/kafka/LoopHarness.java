package com.example.subscriptions.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.core.ConditionFactory;

/**
 * Drives the real {@link ConsumerLoop} on its own thread against a {@link MockConsumer} subscribed to two partitions,
 * whose {@code poll} waits as a real consumer's does (until records arrive, it is woken, or its timeout passes), and a
 * {@link MockProducer} for dead letters. Each attempt of each record is a future the test completes, so a test decides
 * exactly which records are in flight.
 */
final class LoopHarness implements AutoCloseable {

    static final String TOPIC = "commands";
    static final String DEAD_LETTER_TOPIC = "commands.dlt";
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    static final Backoff TINY_BACKOFF = new Backoff(Duration.ofMillis(1), Duration.ofMillis(10));
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
    /** Records whose value starts with this make the handler's {@code plan} throw. */
    static final String POISON = "poison";

    final WaitingConsumer consumer = new WaitingConsumer();
    final Attempts attempts = new Attempts();
    /** What the handler was told of assignments, and whether the loop said it was a member by then. */
    final List<String> assignments = new CopyOnWriteArrayList<>();

    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    private final AtomicReference<Throwable> loopCrash = new AtomicReference<>();
    MockProducer<byte[], byte[]> deadLetterProducer;
    ConsumerLoop loop;
    private Thread thread;
    private int probes;

    // ---------------------------------------------------------------------------------------------------------------
    // Starting and stopping

    LoopHarness start(int maxInFlight) {
        return start(settings(maxInFlight, DRAIN_TIMEOUT, TINY_BACKOFF), true);
    }

    LoopHarness start(int maxInFlight, Duration drainTimeout) {
        return start(settings(maxInFlight, drainTimeout, TINY_BACKOFF), true);
    }

    LoopHarness startWithManualDeadLetterAcks(int maxInFlight) {
        return start(settings(maxInFlight, DRAIN_TIMEOUT, TINY_BACKOFF), false);
    }

    LoopHarness start(LoopSettings settings, boolean autoAckDeadLetters) {
        deadLetterProducer =
                new MockProducer<>(autoAckDeadLetters, null, new ByteArraySerializer(), new ByteArraySerializer());
        RecordHandler handler = new RecordHandler() {
            @Override
            public Work plan(ConsumerRecord<byte[], byte[]> record) {
                return LoopHarness.this.plan(record);
            }

            @Override
            public void assigned(Collection<TopicPartition> partitions) {
                assignments.add(Set.copyOf(partitions) + (loop.health().member() ? " after" : " before") + " joining");
            }
        };
        consumer.setMaxPollRecords(settings.maxPollRecords());
        loop = new ConsumerLoop(settings, consumer, new KafkaPublisher(deadLetterProducer), handler);
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
        thread = new Thread(loop, "consumer-loop-under-test");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> loopCrash.set(e));
        thread.start();
        eventually().until(() -> loop.health().member());
        return this;
    }

    static LoopSettings settings(int maxInFlight, Duration drainTimeout, Backoff backoff) {
        return new LoopSettings("test", TOPIC, DEAD_LETTER_TOPIC, maxInFlight, drainTimeout, backoff);
    }

    /** Completes whatever a test left running, stops the loop and checks its thread did not die. */
    @Override
    public void close() {
        if (loop == null) {
            return;
        }
        attempts.completeAllNowAndLater();
        while (deadLetterProducer.completeNext()) {
            // ack whatever a test left unacknowledged, so the drain does not wait for it
        }
        loop.stop();
        try {
            assertTrue(loop.awaitStopped(Duration.ofSeconds(15)), "the loop did not stop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while the loop stopped", e);
        }
        assertNull(loopCrash.get(), "the loop thread died");
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
    void send(TopicPartition partition, String... keys) {
        synchronized (consumer) { // MockConsumer's methods lock it, so no poll runs in between
            for (String key : keys) {
                sendRecord(partition, key, "value of " + key, new RecordHeaders());
            }
        }
    }

    long sendRecord(TopicPartition partition, String key, String value, Headers headers) {
        long offset = nextOffsets.merge(partition, 1L, Long::sum) - 1;
        addRecord(partition, offset, key, value, headers);
        return offset;
    }

    /** Adds a record again at an offset it had, as the broker redelivers it to a consumer that takes it over. */
    void redeliver(TopicPartition partition, long offset, String key) {
        addRecord(partition, offset, key, "value of " + key, new RecordHeaders());
    }

    private void addRecord(TopicPartition partition, long offset, String key, String value, Headers headers) {
        consumer.addRecord(new ConsumerRecord<>(
                partition.topic(),
                partition.partition(),
                offset,
                System.currentTimeMillis(),
                TimestampType.CREATE_TIME,
                key.length(),
                value.length(),
                bytes(key),
                bytes(value),
                headers,
                Optional.empty()));
    }

    static String[] keys(String key, int count) {
        String[] keys = new String[count];
        Arrays.fill(keys, key);
        return keys;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Observing the loop

    /** The first attempt of a record, once it started. */
    Attempt attempt(TopicPartition partition, long offset) {
        return attempt(partition, offset, 1);
    }

    /** The {@code number}th (1-based) attempt of a record, once it started. */
    Attempt attempt(TopicPartition partition, long offset, int number) {
        RecordId id = new RecordId(partition.partition(), offset);
        eventually().until(() -> attempts.of(id).size() >= number);
        return attempts.of(id).get(number - 1);
    }

    boolean started(TopicPartition partition, long offset) {
        return !attempts.of(new RecordId(partition.partition(), offset)).isEmpty();
    }

    /** Returns once the loop went round twice, so whatever it was about to start has started. */
    void letTheLoopGoRound() {
        long target = consumer.polls() + 2;
        eventually().until(() -> {
            consumer.nudge();
            return consumer.polls() >= target;
        });
    }

    /**
     * Returns once the loop made a periodic commit after handling everything completed before this call: a probe
     * record on P1 completes after them, and its commit includes every partition's committable offset.
     */
    void awaitACommitRound() {
        long offset = sendRecord(P1, "probe-" + probes++, "probe", new RecordHeaders());
        attempt(P1, offset).succeed();
        awaitCommitted(P1, offset + 1);
    }

    void awaitCommitted(TopicPartition partition, long offset) {
        eventually().until(() -> Long.valueOf(offset).equals(consumer.lastCommitted(partition)));
    }

    void assertCommittedAtMost(TopicPartition partition, long offset) {
        long highest = consumer.highestCommitted(partition);
        assertTrue(highest <= offset, () -> partition + " was committed up to " + highest + ", beyond " + offset);
    }

    ProducerRecord<byte[], byte[]> awaitDeadLetter(int number) {
        eventually().until(() -> deadLetterProducer.history().size() >= number);
        return deadLetterProducer.history().get(number - 1);
    }

    /** Runs {@code task} on the poll thread inside a poll, as a real consumer runs rebalance callbacks. */
    void onPollThread(Runnable task) {
        consumer.schedulePollTask(task);
    }

    static void assertHeader(ProducerRecord<byte[], byte[]> record, String name, String expected) {
        Header header = record.headers().lastHeader(name);
        assertNotNull(header, () -> "no header " + name);
        assertEquals(expected, text(header.value()), name);
    }

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, UTF_8);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Test doubles

    record RecordId(int partition, long offset) {}

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
    static final class Attempts {
        private final Map<RecordId, List<Attempt>> byRecord = new ConcurrentHashMap<>();
        private final List<Attempt> all = new CopyOnWriteArrayList<>();
        /** Offsets as the loop reported them finished, with the thread it did it on. */
        final List<String> finished = new CopyOnWriteArrayList<>();

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
            int ofKey =
                    runningByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
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
            return all.stream()
                    .filter(a -> a.key.equals(key))
                    .map(a -> a.id.offset())
                    .toList();
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
    static final class Attempt {
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
            fail(new IllegalStateException("simulated failure of " + id));
        }

        void fail(RuntimeException error) {
            if (end()) {
                result.completeExceptionally(error);
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

    /**
     * A MockConsumer whose {@code poll} waits, as a real one does, until something changed (records added, a poll task
     * scheduled, fetching paused or resumed), it is woken, or its timeout passed. Remembers every commit, what was
     * committed when the loop closed it, and how often fetching was paused.
     */
    static final class WaitingConsumer extends MockConsumer<byte[], byte[]> {
        private final Object signals = new Object();
        private long changes;
        private long changesSeenByLastPoll;
        private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
        private final Map<TopicPartition, Long> highestCommitted = new ConcurrentHashMap<>();
        private final AtomicLong polls = new AtomicLong();
        private final AtomicLong pauses = new AtomicLong();
        private final AtomicLong resumes = new AtomicLong();
        private volatile Map<TopicPartition, Long> committedWhenClosed;
        private volatile org.apache.kafka.clients.consumer.ConsumerRebalanceListener listener;

        WaitingConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void subscribe(
                Collection<String> topics, org.apache.kafka.clients.consumer.ConsumerRebalanceListener listener) {
            this.listener = listener;
            super.subscribe(topics, listener);
        }

        /**
         * What a consumer does, inside a poll, when it finds the group evicted it: its partitions are lost (not
         * revoked: another member may own them already).
         */
        void loseAllPartitions() {
            schedulePollTask(() -> listener.onPartitionsLost(assignment()));
        }

        /** The group takes the consumer back and gives it its partitions again. */
        void regainAllPartitions() {
            schedulePollTask(() -> listener.onPartitionsAssigned(assignment()));
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            waitForAChange(timeout);
            try {
                return super.poll(timeout);
            } finally {
                polls.incrementAndGet();
            }
        }

        private void waitForAChange(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (signals) {
                try {
                    for (long left = timeout.toNanos();
                            changes == changesSeenByLastPoll && left > 0;
                            left = deadline - System.nanoTime()) {
                        signals.wait(Math.max(1, left / 1_000_000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                changesSeenByLastPoll = changes;
            }
        }

        /** Makes a waiting poll return, as new records would. */
        void nudge() {
            synchronized (signals) {
                changes++;
                signals.notifyAll();
            }
        }

        @Override
        public synchronized void addRecord(ConsumerRecord<byte[], byte[]> record) {
            super.addRecord(record);
            nudge();
        }

        @Override
        public synchronized void schedulePollTask(Runnable task) {
            super.schedulePollTask(task);
            nudge();
        }

        @Override
        public synchronized void setPollException(KafkaException exception) {
            super.setPollException(exception);
            nudge();
        }

        @Override
        public void wakeup() {
            super.wakeup();
            nudge();
        }

        @Override
        public synchronized void pause(Collection<TopicPartition> partitions) {
            super.pause(partitions);
            pauses.incrementAndGet();
            nudge();
        }

        @Override
        public synchronized void resume(Collection<TopicPartition> partitions) {
            super.resume(partitions);
            resumes.incrementAndGet();
            nudge();
        }

        @Override
        public synchronized void commitAsync(
                Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            offsets.forEach((partition, offset) -> {
                committed.put(partition, offset.offset());
                highestCommitted.merge(partition, offset.offset(), Math::max);
            });
            super.commitAsync(offsets, callback); // commitSync comes here too
        }

        @Override
        public synchronized void close(CloseOptions options) {
            committedWhenClosed = Map.copyOf(committed);
            super.close(options);
        }

        long polls() {
            return polls.get();
        }

        long pauses() {
            return pauses.get();
        }

        long resumes() {
            return resumes.get();
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
