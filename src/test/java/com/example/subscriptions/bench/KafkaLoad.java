package com.example.subscriptions.bench;

import com.example.subscriptions.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The service's clients, seen from outside: produces commands or details requests and reads back the events or
 * replies they cause, matching each answer to its request by the command id or the correlation id. A latency is
 * from just before the request is handed to the producer to the poll that returned its answer.
 */
final class KafkaLoad implements AutoCloseable {

    /** One request and the id its answer will carry. */
    record Request(String id, ProducerRecord<byte[], byte[]> record) {}

    private record Answer(String id, String outcome) {}

    private static final String CORRELATION_ID = "kafka_correlationId";

    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String eventsTopic;
    private final String repliesTopic;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Thread reader;
    private final AtomicReference<Throwable> readerFailure = new AtomicReference<>();
    private volatile boolean running = true;

    KafkaLoad(String bootstrapServers, String eventsTopic, String repliesTopic) {
        this.eventsTopic = eventsTopic;
        this.repliesTopic = repliesTopic;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-producer");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-reader");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(eventsTopic, repliesTopic)) {
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30)));
        reader = new Thread(this::read, "bench-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Sends the requests and waits for all their answers.
     *
     * @param window at most this many requests unanswered at once (closed loop); 0 for a burst: all sent at once
     */
    RunResult run(String name, List<Request> requests, int window, Duration timeout) throws InterruptedException {
        Run run = new Run(requests.size(), window);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            if (run.window != null
                    && !run.window.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            long sent = System.nanoTime();
            if (i == 0) {
                run.firstSent = sent;
            }
            pending.put(request.id(), new Pending(run, i, sent));
            producer.send(request.record(), (metadata, error) -> {
                if (error != null) {
                    run.failures.incrementAndGet();
                }
            });
        }
        producer.flush();
        run.done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        requests.forEach(r -> pending.remove(r.id()));
        if (readerFailure.get() != null) {
            throw new IllegalStateException("the reader failed", readerFailure.get());
        }
        int answered = requests.size() - (int) run.done.getCount();
        long[] latencies = new long[answered];
        int j = 0;
        for (long l : run.latencies) {
            if (l > 0 && j < answered) {
                latencies[j++] = l;
            }
        }
        Map<String, Integer> outcomes = new TreeMap<>();
        run.outcomes.forEach((k, v) -> outcomes.put(k, v.get()));
        if (run.failures.get() > 0) {
            outcomes.put("SEND_FAILED", run.failures.get());
        }
        return new RunResult(
                name,
                answered,
                run.firstSent,
                run.lastAnswered.get() - run.firstSent,
                latencies,
                outcomes,
                requests.size() - answered);
    }

    void send(ProducerRecord<byte[], byte[]> record) {
        producer.send(record);
    }

    private void read() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    Answer answer = parse(record);
                    if (answer == null) {
                        continue;
                    }
                    Pending p = pending.remove(answer.id());
                    if (p != null) {
                        p.run.answered(p.index, now - p.sentNanos, answer.outcome(), now);
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException stopping) {
            // closing
        } catch (RuntimeException e) {
            readerFailure.set(e);
        }
    }

    private Answer parse(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            JsonNode json = Json.MAPPER.readTree(record.value());
            if (record.topic().equals(eventsTopic)) {
                return new Answer(
                        json.path("commandId").asText(), json.path("outcome").asText());
            }
            if (record.topic().equals(repliesTopic)) {
                Header correlation = record.headers().lastHeader(CORRELATION_ID);
                String id = correlation != null
                        ? new String(correlation.value(), StandardCharsets.UTF_8)
                        : json.path("requestId").asText();
                return new Answer(id, json.path("status").asText());
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        producer.close(Duration.ofSeconds(5));
    }

    private record Pending(Run run, int index, long sentNanos) {}

    private static final class Run {
        final long[] latencies;
        final CountDownLatch done;
        final Semaphore window;
        final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicLong lastAnswered = new AtomicLong();
        volatile long firstSent;

        Run(int n, int window) {
            latencies = new long[n];
            done = new CountDownLatch(n);
            this.window = window > 0 ? new Semaphore(window) : null;
        }

        void answered(int index, long latency, String outcome, long now) {
            latencies[index] = Math.max(1, latency);
            outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
            lastAnswered.accumulateAndGet(now, Math::max);
            if (window != null) {
                window.release();
            }
            done.countDown();
        }
    }
}
