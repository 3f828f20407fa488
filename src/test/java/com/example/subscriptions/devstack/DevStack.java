package com.example.subscriptions.devstack;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.config.Settings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The whole stack in one JVM for development: a real Kafka broker (KRaft), Temporal's test server serving gRPC in
 * real time, and the service with all its roles. {@code ./mvnw -q -Pdev} runs {@link #main}; tests start it with
 * free ports through {@link #start}.
 */
public final class DevStack implements AutoCloseable {

    private final EmbeddedKafkaBroker kafka;
    private final EmbeddedTemporal temporal;
    private final Service service;
    private final Duration startup;

    private DevStack(EmbeddedKafkaBroker kafka, EmbeddedTemporal temporal, Service service, Duration startup) {
        this.kafka = kafka;
        this.temporal = temporal;
        this.service = service;
        this.startup = startup;
    }

    /**
     * @param kafkaPort 0 for any free port
     * @param temporalPort 0 for any free port
     * @param overrides settings that win over the file, environment and system properties
     */
    public static DevStack start(int kafkaPort, int temporalPort, Map<String, String> overrides) {
        long started = System.nanoTime();
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(kafkaPort, null);
        EmbeddedTemporal temporal = null;
        try {
            temporal = EmbeddedTemporal.start(temporalPort);
            Map<String, String> settings = new HashMap<>(overrides);
            settings.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            settings.put("temporal.address", temporal.address());
            Service service = Service.start(Settings.load(Optional.empty(), System.getenv(), System.getProperties(),
                    settings));
            return new DevStack(kafka, temporal, service, Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            if (temporal != null) {
                temporal.close();
            }
            kafka.close();
            throw e;
        }
    }

    public Service service() {
        return service;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String temporalAddress() {
        return temporal.address();
    }

    public Duration startup() {
        return startup;
    }

    @Override
    public void close() {
        service.close();
        temporal.close();
        kafka.close();
    }

    public static void main(String[] args) throws InterruptedException {
        int kafkaPort = Integer.getInteger("dev.kafka-port", 9092);
        int temporalPort = Integer.getInteger("dev.temporal-port", 7233);
        DevStack stack = start(kafkaPort, temporalPort, Map.of());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the dev stack...");
            stack.close();
            stopped.countDown();
        }, "dev-stack-stop"));
        System.out.println(stack.banner());
        stopped.await();
    }

    String banner() {
        Settings s = service.settings();
        String kafkaAddress = kafka.bootstrapServers();
        return String.join("\n",
                "",
                "Subscription service ready in " + String.format("%.1f", startup.toMillis() / 1000.0) + " s",
                "  Kafka      " + kafkaAddress + "  (in-process broker, KRaft)",
                "  Temporal   " + temporal.address() + "  (SDK test server; namespace " + s.temporal().namespace()
                        + ", task queue " + s.temporal().taskQueue() + ")",
                "  HTTP       http://localhost:" + service.httpPort() + "/health/ready   /metrics",
                "  Topics     " + s.topics().commands() + " -> " + s.topics().events() + ",  "
                        + s.topics().detailsRequests() + " -> " + s.topics().detailsReplies(),
                "",
                "Try it (kcat, from Debian's kafkacat package):",
                "  echo 'alice@example.com|{\"type\":\"subscribe\",\"email\":\"alice@example.com\"}' | kcat -P -b "
                        + kafkaAddress + " -t " + s.topics().commands() + " -K '|'",
                "  kcat -C -b " + kafkaAddress + " -t " + s.topics().events() + " -o beginning -e",
                "  echo '{\"email\":\"alice@example.com\",\"requestId\":\"r1\"}' | kcat -P -b " + kafkaAddress + " -t "
                        + s.topics().detailsRequests(),
                "  kcat -C -b " + kafkaAddress + " -t " + s.topics().detailsReplies() + " -o beginning -e",
                "or with Kafka's console producer:",
                "  kafka-console-producer.sh --bootstrap-server " + kafkaAddress + " --topic " + s.topics().commands()
                        + " --property parse.key=true --property key.separator='|'",
                "",
                "Ctrl-C stops everything.");
    }
}
