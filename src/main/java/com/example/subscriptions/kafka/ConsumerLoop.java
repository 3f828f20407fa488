package com.example.subscriptions.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Kafka poll loop: at-least-once, ordered per key, concurrent across keys.
 *
 * <ul>
 *   <li>Every record becomes {@link Work} through the {@link RecordHandler}. Work with the same ordering key runs one
 *       at a time in offset order; up to {@code maxInFlight} keys run at once.</li>
 *   <li>A failed attempt is retried with backoff for as long as it takes; the key waits, the others go on.</li>
 *   <li>An offset is committed only when it and every offset before it in its partition are finished (handled or
 *       dead-lettered), so a commit never skips unfinished work.</li>
 *   <li>When too much is unfinished, fetching pauses but polling goes on, so the group never evicts the consumer.</li>
 *   <li>On revocation and shutdown, running work is waited for (bounded), what is finished is committed, and the
 *       rest is left for the next owner.</li>
 * </ul>
 *
 * All state belongs to the poll thread; work completes on other threads and reports back through a queue.
 */
public final class ConsumerLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final Duration BUSY_POLL = Duration.ofMillis(2);
    private static final long COMMIT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LoopSettings settings;
    private final Consumer<byte[], byte[]> consumer;
    private final KafkaPublisher deadLetterPublisher;
    private final RecordHandler handler;

    private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private final Map<TopicPartition, PartitionProgress> partitions = new HashMap<>();
    private final Map<Object, ArrayDeque<Entry>> queuesByKey = new HashMap<>();
    private final ArrayDeque<Entry> ready = new ArrayDeque<>();
    private final PriorityQueue<Entry> retries = new PriorityQueue<>(Comparator.comparingLong(e -> e.retryAtNanos));
    private int running;
    private int buffered;
    private long lastCommitNanos;

    private volatile boolean stopRequested;
    private volatile boolean joinedGroup;
    private volatile int inFlightGauge;
    private final java.util.concurrent.atomic.AtomicLong deadLettered = new java.util.concurrent.atomic.AtomicLong();
    private final CountDownLatch finished = new CountDownLatch(1);

    public ConsumerLoop(LoopSettings settings, Consumer<byte[], byte[]> consumer, KafkaPublisher deadLetterPublisher,
            RecordHandler handler) {
        this.settings = settings;
        this.consumer = consumer;
        this.deadLetterPublisher = deadLetterPublisher;
        this.handler = handler;
    }

    @Override
    public void run() {
        lastCommitNanos = System.nanoTime() - COMMIT_EVERY_NANOS;
        try {
            consumer.subscribe(List.of(settings.topic()), new Rebalances());
            while (!stopRequested) {
                processCompletions();
                startWork();
                commitIfDue();
                applyBackpressure();
                var records = consumer.poll(running > 0 || !retries.isEmpty() ? BUSY_POLL : IDLE_POLL);
                records.forEach(this::accept);
                startWork();
            }
            drain(partitions.keySet(), true);
            log.info("{}: stopped, offsets committed", settings.name());
        } catch (KafkaException e) {
            log.error("{}: consumer failed and stopped: {}", settings.name(), e.toString());
            throw e;
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } finally {
                finished.countDown();
            }
        }
    }

    /** Asks the loop to finish running work, commit and close; returns at once. */
    public void stop() {
        stopRequested = true;
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True once the group gave this consumer its (possibly empty) share of partitions. */
    public boolean joinedGroup() {
        return joinedGroup;
    }

    /** Records polled and not yet finished. */
    public int inFlight() {
        return inFlightGauge;
    }

    /** Records copied to the dead letter topic since the start. */
    public long deadLettered() {
        return deadLettered.get();
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Entry entry = new Entry(record, partition, plan(record));
        partitions.computeIfAbsent(partition, p -> new PartitionProgress()).add(entry);
        buffered++;
        ArrayDeque<Entry> queue = queuesByKey.computeIfAbsent(entry.work.orderingKey(), k -> new ArrayDeque<>());
        queue.addLast(entry);
        if (queue.size() == 1) {
            ready.addLast(entry);
        }
    }

    private Work plan(ConsumerRecord<byte[], byte[]> record) {
        try {
            return handler.plan(record);
        } catch (RuntimeException e) {
            log.error("{}: handler could not plan {}-{}@{}; dead-lettering it", settings.name(), record.topic(),
                    record.partition(), record.offset(), e);
            String reason = "handler failed: " + e;
            return new Work() {
                @Override
                public Object orderingKey() {
                    return Work.ownKey(record);
                }

                @Override
                public CompletionStage<Disposition> attempt() {
                    return CompletableFuture.completedFuture(Disposition.deadLetter(reason));
                }
            };
        }
    }

    private void startWork() {
        long now = System.nanoTime();
        while (!retries.isEmpty() && retries.peek().retryAtNanos <= now) {
            ready.addFirst(retries.poll());
        }
        while (running < settings.maxInFlight() && !ready.isEmpty()) {
            launch(ready.pollFirst());
        }
        inFlightGauge = buffered;
    }

    private void launch(Entry entry) {
        running++;
        entry.running = true;
        CompletionStage<?> attempt;
        try {
            attempt = entry.deadLetterReason != null ? sendToDeadLetter(entry) : entry.work.attempt();
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        if (attempt == null) {
            attempt = CompletableFuture.failedFuture(new IllegalStateException("attempt() returned null"));
        }
        attempt.whenComplete((result, error) -> completions.add(new Completion(entry, result, error)));
    }

    private CompletionStage<?> sendToDeadLetter(Entry entry) {
        boolean keepHeaders = !(entry.lastError instanceof RecordTooLargeException);
        return deadLetterPublisher.send(
                DeadLetters.copy(settings.deadLetterTopic(), entry.record, entry.deadLetterReason, keepHeaders));
    }

    private void processCompletions() {
        Completion completion;
        while ((completion = completions.poll()) != null) {
            complete(completion);
        }
    }

    private void complete(Completion completion) {
        Entry entry = completion.entry;
        running--;
        entry.running = false;
        if (entry.abandoned) {
            return;
        }
        if (completion.error != null) {
            scheduleRetry(entry, completion.error);
        } else if (entry.deadLetterReason != null) {
            log.warn("{}: {}-{}@{} dead-lettered to {}: {}", settings.name(), entry.record.topic(),
                    entry.record.partition(), entry.record.offset(), settings.deadLetterTopic(),
                    entry.deadLetterReason);
            deadLettered.incrementAndGet();
            finish(entry);
        } else if (completion.result instanceof Disposition.DeadLetter deadLetter) {
            entry.deadLetterReason = deadLetter.reason();
            entry.attempts = 0;
            launch(entry);
        } else {
            finish(entry);
        }
    }

    private void scheduleRetry(Entry entry, Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        entry.lastError = cause;
        entry.attempts++;
        Duration delay = settings.backoff().delay(entry.attempts);
        if (entry.attempts == 1 || entry.attempts % 10 == 0) {
            log.warn("{}: {}-{}@{} failed (attempt {}), retrying in {} ms: {}", settings.name(),
                    entry.record.topic(), entry.record.partition(), entry.record.offset(), entry.attempts,
                    delay.toMillis(), cause.toString());
        }
        entry.retryAtNanos = System.nanoTime() + delay.toNanos();
        retries.add(entry);
    }

    private void finish(Entry entry) {
        try {
            entry.work.finished();
        } catch (RuntimeException e) {
            log.warn("{}: reporting {}-{}@{} as finished failed: {}", settings.name(), entry.record.topic(),
                    entry.record.partition(), entry.record.offset(), e.toString());
        }
        partitions.get(entry.partition).finish(entry);
        buffered--;
        ArrayDeque<Entry> queue = queuesByKey.get(entry.work.orderingKey());
        queue.remove(entry);
        promoteHead(entry.work.orderingKey(), queue);
    }

    private void promoteHead(Object key, ArrayDeque<Entry> queue) {
        if (queue.isEmpty()) {
            queuesByKey.remove(key);
        } else {
            Entry head = queue.peekFirst();
            if (!head.running && !ready.contains(head) && !retries.contains(head)) {
                ready.addLast(head);
            }
        }
    }

    private void commitIfDue() {
        long now = System.nanoTime();
        if (now - lastCommitNanos < COMMIT_EVERY_NANOS) {
            return;
        }
        lastCommitNanos = now;
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(partitions.keySet());
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error != null) {
                    log.warn("{}: commit failed, will retry: {}", settings.name(), error.toString());
                    committed.keySet().forEach(p -> {
                        PartitionProgress progress = partitions.get(p);
                        if (progress != null) {
                            progress.committed = -1;
                        }
                    });
                }
            });
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : which) {
            PartitionProgress progress = partitions.get(partition);
            if (progress != null && progress.committable() > progress.committed) {
                offsets.put(partition, new OffsetAndMetadata(progress.committable()));
                progress.committed = progress.committable();
            }
        }
        return offsets;
    }

    private void applyBackpressure() {
        Set<TopicPartition> paused = consumer.paused();
        if (buffered >= settings.maxBuffered()) {
            if (paused.size() < consumer.assignment().size()) {
                consumer.pause(consumer.assignment());
            }
        } else if (!paused.isEmpty()) {
            consumer.resume(paused);
        }
    }

    /**
     * Gives up queued work of these partitions, waits (bounded) for their running work, and commits what finished.
     * Work of other partitions that completes meanwhile is kept.
     */
    private void drain(Collection<TopicPartition> released, boolean commit) {
        Set<TopicPartition> leaving = new HashSet<>(released);
        for (TopicPartition partition : leaving) {
            PartitionProgress progress = partitions.get(partition);
            if (progress != null) {
                new ArrayList<>(progress.pending.values()).stream().filter(e -> !e.running).forEach(this::abandon);
            }
        }
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        while (runningIn(leaving) && System.nanoTime() < deadline) {
            try {
                Completion completion = completions.poll(50, TimeUnit.MILLISECONDS);
                if (completion != null) {
                    complete(completion);
                    // A failure or a next step of a leaving partition is not retried here: its next owner does it.
                    for (TopicPartition partition : leaving) {
                        PartitionProgress progress = partitions.get(partition);
                        if (progress != null) {
                            new ArrayList<>(progress.pending.values()).stream().filter(e -> !e.running)
                                    .forEach(this::abandon);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (commit) {
            Map<TopicPartition, OffsetAndMetadata> offsets = committable(leaving);
            if (!offsets.isEmpty()) {
                try {
                    consumer.commitSync(offsets, Duration.ofSeconds(10));
                } catch (KafkaException e) {
                    log.warn("{}: final commit of {} failed; their records will be redelivered: {}",
                            settings.name(), offsets.keySet(), e.toString());
                }
            }
        }
        for (TopicPartition partition : leaving) {
            PartitionProgress progress = partitions.remove(partition);
            if (progress != null) {
                progress.pending.values().forEach(this::abandon);
                if (!progress.pending.isEmpty()) {
                    log.warn("{}: gave up {} unfinished records of {}; they will be redelivered", settings.name(),
                            progress.pending.size(), partition);
                }
            }
        }
        inFlightGauge = buffered;
    }

    private boolean runningIn(Set<TopicPartition> leaving) {
        for (TopicPartition partition : leaving) {
            PartitionProgress progress = partitions.get(partition);
            if (progress != null && progress.pending.values().stream().anyMatch(e -> e.running)) {
                return true;
            }
        }
        return false;
    }

    private void abandon(Entry entry) {
        if (entry.abandoned) {
            return;
        }
        entry.abandoned = true;
        buffered--;
        ready.remove(entry);
        retries.remove(entry);
        Object key = entry.work.orderingKey();
        ArrayDeque<Entry> queue = queuesByKey.get(key);
        if (queue != null) {
            boolean wasHead = queue.peekFirst() == entry;
            queue.remove(entry);
            if (wasHead) {
                promoteHead(key, queue);
            } else if (queue.isEmpty()) {
                queuesByKey.remove(key);
            }
        }
    }

    private final class Rebalances implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (!revoked.isEmpty()) {
                log.info("{}: partitions revoked: {}", settings.name(), revoked);
                drain(revoked, true);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            log.warn("{}: partitions lost: {}", settings.name(), lost);
            drain(lost, false);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (!assigned.isEmpty()) {
                log.info("{}: partitions assigned: {}", settings.name(), assigned);
                try {
                    handler.assigned(assigned);
                } catch (RuntimeException e) {
                    log.warn("{}: the handler failed on the assignment of {}: {}", settings.name(), assigned,
                            e.toString());
                }
            }
            joinedGroup = true;
        }
    }

    /** One record's progress; its fields are the poll thread's. */
    private static final class Entry {
        final ConsumerRecord<byte[], byte[]> record;
        final TopicPartition partition;
        final Work work;
        boolean running;
        boolean abandoned;
        int attempts;
        long retryAtNanos;
        Throwable lastError;
        String deadLetterReason;

        Entry(ConsumerRecord<byte[], byte[]> record, TopicPartition partition, Work work) {
            this.record = record;
            this.partition = partition;
            this.work = work;
        }
    }

    /** The unfinished offsets of one partition; the lowest one is as far as a commit may go. */
    private static final class PartitionProgress {
        final TreeMap<Long, Entry> pending = new TreeMap<>();
        long nextOffset = -1;
        long committed = -1;

        void add(Entry entry) {
            pending.put(entry.record.offset(), entry);
            nextOffset = entry.record.offset() + 1;
        }

        void finish(Entry entry) {
            pending.remove(entry.record.offset());
        }

        long committable() {
            return pending.isEmpty() ? nextOffset : pending.firstKey();
        }
    }

    private record Completion(Entry entry, Object result, Throwable error) {
    }
}
