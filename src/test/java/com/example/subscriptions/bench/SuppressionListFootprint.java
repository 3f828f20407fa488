package com.example.subscriptions.bench;

import com.example.subscriptions.devstack.EmbeddedKafkaBroker;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.example.subscriptions.suppression.KafkaSuppressionList;
import com.example.subscriptions.suppression.ReportSource;
import com.example.subscriptions.suppression.Suppression;
import com.example.subscriptions.suppression.SuppressionReason;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the suppression list costs a commands role: {@code ./mvnw -q -Psuppressions} writes N entries (100,000 by
 * default, {@code -Dbench.entries=...}) to a compacted topic of 6 partitions, then measures how long a list takes to
 * read them at start, the heap they hold once read (after a full GC), and what a lookup costs. Against
 * {@code KAFKA_BOOTSTRAP_SERVERS} when set, else a broker started in this JVM.
 */
public final class SuppressionListFootprint {

    private SuppressionListFootprint() {}

    public static void main(String[] args) throws Exception {
        int entries = Integer.getInteger("bench.entries", 100_000);
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        EmbeddedKafkaBroker broker = external == null ? EmbeddedKafkaBroker.start(0, null) : null;
        String servers = external != null ? external : broker.bootstrapServers();
        String topic = "bench-suppressions-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            admin.createTopics(java.util.List.of(
                            new NewTopic(topic, 6, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        write(servers, topic, entries);

        long before = heapAfterGc();
        long started = System.nanoTime();
        KafkaPublisher publisher = new KafkaPublisher(producer(servers));
        KafkaSuppressionList list = new KafkaSuppressionList(topic, consumer(servers), publisher).start();
        list.loaded().get(10, TimeUnit.MINUTES);
        double loadSeconds = (System.nanoTime() - started) / 1e9;
        long loaded = heapAfterGc();

        // Half the addresses looked up are on the list; the keys are made before the clock starts.
        int lookups = 1_000_000;
        String[] keys = new String[2 * entries];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = address(i);
        }
        long found = 0;
        long lookupStarted = System.nanoTime();
        for (int i = 0; i < lookups; i++) {
            found += list.find(keys[i % keys.length]).isPresent() ? 1 : 0;
        }
        double nanosPerLookup = (System.nanoTime() - lookupStarted) / (double) lookups;
        keys = null;

        // The table alone: its reader's consumer and the producer closed, its entries still held.
        list.close();
        publisher.close();
        long after = heapAfterGc();

        System.out.printf(
                Locale.ROOT,
                "entries %d (read %d); read at start in %.2f s; heap %.1f MB with the reader open, %.1f MB for the"
                        + " table alone: %.0f bytes per entry; lookup %.0f ns (%d of %d found)%n",
                entries,
                list.size(),
                loadSeconds,
                (loaded - before) / 1e6,
                (after - before) / 1e6,
                (after - before) / (double) list.size(),
                nanosPerLookup,
                found,
                lookups);
        java.lang.ref.Reference.reachabilityFence(list);
        if (broker != null) {
            broker.close();
        }
        System.exit(0);
    }

    /** Addresses about as long as real ones: {@code subscriber-0001234@example.com}, 30 characters. */
    private static String address(int i) {
        return String.format(Locale.ROOT, "subscriber-%07d@example.com", i);
    }

    private static void write(String servers, String topic, int entries) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(servers)) {
            Instant now = Instant.now();
            for (int i = 0; i < entries; i++) {
                byte[] value = Suppression.of(
                                i % 10 == 0 ? SuppressionReason.COMPLAINT : SuppressionReason.BOUNCE,
                                ReportSource.DSN,
                                now,
                                "bounce-dsn-" + UUID.randomUUID())
                        .toBytes();
                producer.send(new ProducerRecord<>(topic, address(i).getBytes(StandardCharsets.UTF_8), value));
            }
            producer.flush();
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static KafkaProducer<byte[], byte[]> producer(String servers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String servers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
