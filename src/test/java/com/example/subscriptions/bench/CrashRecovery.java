package com.example.subscriptions.bench;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.devstack.ServiceJvm;
import com.example.subscriptions.devstack.TestKafka;
import com.example.subscriptions.faults.FaultChecks;
import com.example.subscriptions.it.ServiceFixture;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;

/**
 * How long the commands of a killed instance's partitions wait, under each way of running the consumer group: two
 * instances (commands role, JVMs of their own) share 6 partitions while probes arrive on every partition four times
 * a second; one is SIGKILLed. Measured: from the kill until a probe sent after it is answered on each of the killed
 * instance's partitions (the worst partition), once with the instance left dead and once restarted 2 s later as a
 * supervisor would; and how long the restarted instance takes to become ready.
 *
 * <p>{@code ./mvnw -q -Precovery} (a few minutes); writes {@code target/bench/recovery.json}.
 */
public final class CrashRecovery {

    private static final int PARTITIONS = 6;
    private static final Duration RESTART_AFTER = Duration.ofSeconds(2);
    private static final Duration GIVE_UP = Duration.ofSeconds(120);

    private record Variant(String name, Map<String, String> settings, boolean staticMembership) {}

    private record Outcome(String variant, boolean restarted, double failoverSeconds, Double readySeconds) {}

    public static void main(String[] args) {
        int status = 0;
        try {
            run();
        } catch (Exception | AssertionError e) {
            System.err.println("[recovery] failed: " + e);
            e.printStackTrace();
            status = 2;
        }
        // Under exec:java this ends Maven's JVM too: the in-process broker's threads must not keep it waiting.
        System.exit(status);
    }

    private static void run() throws Exception {
        BenchLog.toFile(Path.of("target", "bench", "recovery-jvm.log"));
        FaultChecks.startBackends();
        // Left out, as measured once: the consumer protocol with static membership. A member restarted after a
        // crash is refused (UnreleasedInstanceIdException) until the dead one's session expires on the broker.
        List<Variant> variants = List.of(
                new Variant(
                        "classic protocol, session 45 s (Kafka's default)",
                        Map.of(
                                "kafka.group.protocol",
                                "classic",
                                "kafka.session.timeout.ms",
                                "45000",
                                "kafka.heartbeat.interval.ms",
                                "3000"),
                        false),
                new Variant(
                        "classic protocol, session 10 s (the service's default)",
                        Map.of("kafka.group.protocol", "classic"),
                        false),
                new Variant(
                        "classic protocol, session 10 s, static membership",
                        Map.of("kafka.group.protocol", "classic"),
                        true),
                new Variant(
                        "consumer protocol (KIP-848), broker's session 45 s",
                        Map.of("kafka.group.protocol", "consumer"),
                        false));
        List<Outcome> outcomes = new ArrayList<>();
        for (Variant variant : variants) {
            for (boolean restart : List.of(false, true)) {
                Outcome outcome = measure(variant, restart);
                outcomes.add(outcome);
                System.out.printf(
                        Locale.ROOT,
                        "[recovery] %-58s %-10s failover %5.1f s%s%n",
                        variant.name(),
                        restart ? "restarted" : "left dead",
                        outcome.failoverSeconds(),
                        outcome.readySeconds() == null
                                ? ""
                                : String.format(
                                        Locale.ROOT, ", ready %.1f s after the restart", outcome.readySeconds()));
            }
        }
        Path out = Path.of("target", "bench", "recovery.json");
        Files.createDirectories(out.getParent());
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(
                        out.toFile(),
                        Map.of(
                                "at",
                                java.time.Instant.now().toString(),
                                "partitions",
                                PARTITIONS,
                                "restartAfterSeconds",
                                RESTART_AFTER.toSeconds(),
                                "outcomes",
                                outcomes));
        System.out.println("[recovery] written to " + out);
    }

    private static Outcome measure(Variant variant, boolean restart) throws Exception {
        try (ServiceFixture fixture = new ServiceFixture()) {
            Map<String, String> base = FaultChecks.settings(fixture, PARTITIONS, variant.settings());
            FaultChecks.createTopics(fixture, PARTITIONS);
            Service worker = Service.start(Settings.of(with(base, "roles", "worker")), (details, delivery) -> {});
            String group = base.get("commands.group-id");
            Map<String, String> a = instance(base, "a", variant);
            Map<String, String> b = instance(base, "b", variant);
            ServiceJvm first = ServiceJvm.with(a).roles("commands").start();
            ServiceJvm second = ServiceJvm.with(b).roles("commands").start();
            List<ServiceJvm> children = new ArrayList<>(List.of(first, second));
            try (Probes probes = new Probes(fixture.topic("commands"), fixture.topic("events"))) {
                progress(variant, "starting two instances");
                first.awaitReady(GIVE_UP);
                second.awaitReady(GIVE_UP);
                awaitBalanced(group);
                progress(variant, "balanced; probing");
                probes.start();
                probes.awaitAnswered(Duration.ofSeconds(60));
                long killedAt = System.nanoTime();
                first.kill();
                progress(variant, "killed one");
                Double ready = null;
                if (restart) {
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, killedAt + RESTART_AFTER.toNanos() - System.nanoTime()));
                    ServiceJvm again = ServiceJvm.with(a).roles("commands").start();
                    children.add(again);
                    long restartedAt = System.nanoTime();
                    again.awaitReady(GIVE_UP);
                    ready = (System.nanoTime() - restartedAt) / 1e9;
                }
                // The survivor's partitions answer at once: the slowest partition is one the killed instance held.
                double failover = probes.awaitAnsweredAfter(killedAt, GIVE_UP);
                return new Outcome(variant.name(), restart, round(failover), ready == null ? null : round(ready));
            } finally {
                children.forEach(ServiceJvm::close);
                worker.close();
            }
        }
    }

    private static void progress(Variant variant, String what) {
        System.out.printf("[recovery] %s: %s%n", variant.name(), what);
    }

    /** One instance's settings: its own HTTP port, and its own static member id where the variant asks for one. */
    private static Map<String, String> instance(Map<String, String> base, String name, Variant variant) {
        Map<String, String> settings = with(base, "server.port", Integer.toString(ServiceJvm.freePort()));
        if (variant.staticMembership()) {
            settings.put("kafka.group.instance.id", "recovery-" + name);
        }
        return settings;
    }

    private static Map<String, String> with(Map<String, String> settings, String key, String value) {
        Map<String, String> copy = new HashMap<>(settings);
        copy.put(key, value);
        return copy;
    }

    /** Waits until both instances hold partitions. */
    private static void awaitBalanced(String group) {
        Map<String, Object> props = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            Awaitility.await()
                    .atMost(GIVE_UP)
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> {
                        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group))
                                .all()
                                .get(10, TimeUnit.SECONDS)
                                .get(group);
                        List<MemberDescription> members = d.members().stream()
                                .filter(m -> !m.assignment().topicPartitions().isEmpty())
                                .toList();
                        long assigned = members.stream()
                                .mapToLong(m -> m.assignment().topicPartitions().size())
                                .sum();
                        return members.size() == 2
                                && assigned == PARTITIONS
                                && d.groupState() == org.apache.kafka.common.GroupState.STABLE;
                    });
        }
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }

    /** A new subscribe on every partition every 250 ms, and when each one's event arrived. */
    private static final class Probes implements AutoCloseable {
        private final String commands;
        private final KafkaProducer<byte[], byte[]> producer;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Map<String, long[]> sentAt = new ConcurrentHashMap<>();
        private final Map<String, Long> answeredAt = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread sender;
        private final Thread reader;

        Probes(String commands, String events) {
            this.commands = commands;
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
            p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "recovery-probe-" + UUID.randomUUID());
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(events));
            sender = new Thread(this::send, "probe-sender");
            reader = new Thread(this::read, "probe-reader");
            reader.start();
        }

        void start() {
            sender.start();
        }

        private void send() {
            for (int round = 0; running.get(); round++) {
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    String id = "probe-" + partition + "-" + round;
                    String email = id + "-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
                    String json = "{\"type\":\"subscribe\",\"email\":\"" + email + "\",\"commandId\":\"" + id + "\"}";
                    sentAt.put(id, new long[] {partition, System.nanoTime()});
                    producer.send(new ProducerRecord<>(
                            commands,
                            partition,
                            email.getBytes(StandardCharsets.UTF_8),
                            json.getBytes(StandardCharsets.UTF_8)));
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void read() {
            ObjectMapper json = new ObjectMapper();
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    try {
                        String id =
                                json.readTree(record.value()).path("commandId").asText();
                        answeredAt.putIfAbsent(id, System.nanoTime());
                    } catch (IOException e) {
                        // not a probe
                    }
                }
            }
        }

        void awaitAnswered(Duration timeout) {
            Awaitility.await()
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> answeredAt.size() >= PARTITIONS * 4);
        }

        /** Seconds from {@code sinceNanos} until every partition answered a probe sent after it. */
        double awaitAnsweredAfter(long sinceNanos, Duration timeout) {
            Set<Integer> partitions =
                    java.util.stream.IntStream.range(0, PARTITIONS).boxed().collect(Collectors.toSet());
            Map<Integer, Long> first = new LinkedHashMap<>();
            Awaitility.await()
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        sentAt.forEach((id, sent) -> {
                            Long answered = answeredAt.get(id);
                            if (sent[1] > sinceNanos && answered != null && partitions.contains((int) sent[0])) {
                                first.merge((int) sent[0], answered, Math::min);
                            }
                        });
                        return first.keySet().containsAll(partitions);
                    });
            return (first.values().stream().mapToLong(Long::longValue).max().orElseThrow() - sinceNanos) / 1e9;
        }

        @Override
        public void close() {
            running.set(false);
            sender.interrupt();
            try {
                sender.join(5_000);
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close(Duration.ofSeconds(5));
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }
}
