package com.example.subscriptions.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compacted topic read as a table: the latest value of every key, in memory. A thread of its own reads every
 * partition from its beginning, then keeps tailing; a null value (a tombstone) removes its key.
 *
 * <p>{@link #caughtUp()} notes the topic's end offsets and completes once the table has read up to them, so that a
 * caller can wait until everything written before it asked is in the table (e.g. what another instance wrote before a
 * rebalance). Records the process writes itself are put in at once with {@link #written}, when Kafka acknowledges
 * them ({@link LatestValues} keeps the two writers in order).
 *
 * <p>The consumer is the reader thread's alone: other threads only queue requests and wake it.
 */
public final class CompactedTopicTable<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CompactedTopicTable.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration PARTITIONS_MAX_AGE = Duration.ofSeconds(60);

    /** Everything up to these offsets must be read before the future completes. */
    private record Barrier(Map<TopicPartition, Long> ends, CompletableFuture<Void> reached) {}

    private final String topic;
    private final Consumer<byte[], byte[]> consumer;
    private final Function<byte[], V> read;
    private final Backoff backoff;
    private final LatestValues<V> values = new LatestValues<>();
    private final Queue<CompletableFuture<Void>> requests = new ConcurrentLinkedQueue<>();
    private final List<Barrier> barriers = new ArrayList<>();
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread reader;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private volatile boolean closing;
    private long partitionsReadAtNanos;
    private int failures;
    private boolean unreadableLogged;

    /**
     * @param consumer a consumer without a group, for this table alone (it is closed with the table)
     * @param read turns a record's value into the table's value; an exception makes the record count as unreadable
     *     (logged once) and leaves the key as it was
     */
    public CompactedTopicTable(
            String topic, Consumer<byte[], byte[]> consumer, Function<byte[], V> read, Backoff backoff) {
        this.topic = topic;
        this.consumer = consumer;
        this.read = read;
        this.backoff = backoff;
        this.reader = new Thread(this::run, "table-" + topic);
        this.reader.setDaemon(true);
    }

    /** Starts reading; {@link #loaded()} completes once what the topic held at start is read. */
    public void start() {
        requests.add(loaded);
        reader.start();
    }

    /** Completes once the table has read what the topic held when it started. */
    public CompletableFuture<Void> loaded() {
        return loaded;
    }

    /** Completes once the table has read everything written to the topic before this call. */
    public CompletableFuture<Void> caughtUp() {
        if (closing) {
            return CompletableFuture.failedFuture(closed());
        }
        CompletableFuture<Void> reached = new CompletableFuture<>();
        requests.add(reached);
        consumer.wakeup();
        return reached;
    }

    public Optional<V> get(String key) {
        return values.get(key);
    }

    /** How many keys have a value. */
    public int size() {
        return values.size();
    }

    /**
     * Puts a record this process wrote, once Kafka acknowledged it at {@code partition} and {@code offset}, without
     * waiting for the reader to meet it. {@code value} null for a tombstone.
     */
    public void written(String key, V value, int partition, long offset) {
        values.written(key, value, partition, offset);
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            unreadable(record, "no key");
            return;
        }
        V value;
        try {
            value = record.value() == null ? null : read.apply(record.value());
        } catch (RuntimeException e) {
            unreadable(record, e.toString());
            return;
        }
        values.read(new String(record.key(), StandardCharsets.UTF_8), value, record.partition(), record.offset());
    }

    private void unreadable(ConsumerRecord<byte[], byte[]> record, String why) {
        if (!unreadableLogged) {
            unreadableLogged = true;
            log.warn(
                    "{}: skipped the unreadable record at {}-{} ({}); later ones are skipped without a line",
                    topic,
                    record.partition(),
                    record.offset(),
                    why);
        }
    }

    private void run() {
        try {
            while (!closing) {
                try {
                    step();
                    failures = 0;
                } catch (WakeupException e) {
                    // a request came in, or the table is closing
                } catch (KafkaException | IllegalStateException e) {
                    if (e instanceof IllegalStateException) {
                        // The consumer's assignment is not what the table thinks: assigning again mends it, with a
                        // read from the beginning (until it passes a lift, the lifted key looks present: the safe
                        // side for a suppression list).
                        assigned.clear();
                    }
                    failures++;
                    Duration wait = backoff.delay(failures);
                    if (failures == 1 || failures % 10 == 0) {
                        log.warn(
                                "{}: reading failed ({} in a row), trying again in {} ms: {}",
                                topic,
                                failures,
                                wait.toMillis(),
                                e.toString());
                    }
                    pause(wait);
                }
            }
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } finally {
                stopped.countDown();
            }
        }
    }

    private void step() {
        if (assigned.isEmpty()
                || !requests.isEmpty()
                || System.nanoTime() - partitionsReadAtNanos > PARTITIONS_MAX_AGE.toNanos()) {
            assignEveryPartition();
        }
        if (assigned.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> asked = new ArrayList<>(requests);
        if (!asked.isEmpty()) {
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
            asked.forEach(request -> {
                barriers.add(new Barrier(ends, request));
                requests.remove(request);
            });
            barriers.removeIf(this::reached);
        }
        consumer.poll(POLL).forEach(this::apply);
        barriers.removeIf(this::reached);
    }

    /** Assigns every partition the topic has, a new one from its beginning. */
    private void assignEveryPartition() {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic);
        partitionsReadAtNanos = System.nanoTime();
        if (partitions == null || partitions.isEmpty()) {
            if (failures == 0) {
                log.warn("{}: the topic has no partitions (does it exist?); looking again", topic);
            }
            throw new KafkaException("topic " + topic + " not found");
        }
        Set<TopicPartition> all = new HashSet<>();
        partitions.forEach(p -> all.add(new TopicPartition(topic, p.partition())));
        if (all.equals(assigned)) {
            return;
        }
        List<TopicPartition> added =
                all.stream().filter(p -> !assigned.contains(p)).toList();
        consumer.assign(all);
        consumer.seekToBeginning(added);
        assigned.clear();
        assigned.addAll(all);
    }

    private boolean reached(Barrier barrier) {
        for (Map.Entry<TopicPartition, Long> end : barrier.ends().entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        barrier.reached().complete(null);
        return true;
    }

    /** Waits out a backoff; {@link #close()} ends the wait. */
    private void pause(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        while (!closing && until - System.nanoTime() > 0) {
            LockSupport.parkNanos(this, until - System.nanoTime());
        }
    }

    /** Stops the reader and closes its consumer; what waits on the table fails. */
    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (reader.isAlive()) {
            consumer.wakeup();
            LockSupport.unpark(reader);
            try {
                if (!stopped.await(10, TimeUnit.SECONDS)) {
                    log.warn("{}: the table's reader did not stop within 10 s", topic);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
        requests.forEach(request -> request.completeExceptionally(closed()));
        barriers.forEach(barrier -> barrier.reached().completeExceptionally(closed()));
    }

    private IllegalStateException closed() {
        return new IllegalStateException("the table of " + topic + " is closed");
    }
}
