package com.example.subscriptions.devstack;

import ch.qos.logback.classic.Level;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The Kafka broker of the integration tests, started once per JVM on first use and stopped when the JVM exits.
 * In order of preference: {@code KAFKA_BOOTSTRAP_SERVERS} (external), a Testcontainers broker when Docker is
 * available, else an {@link EmbeddedKafkaBroker} in this JVM. A broker that was chosen but fails is an error,
 * never a reason to skip.
 */
public final class TestKafka {

    public static final String KAFKA_IMAGE = "apache/kafka:4.1.0";

    private static final Logger log = LoggerFactory.getLogger(TestKafka.class);

    private record Broker(String kind, String bootstrapServers) {}

    private static Broker broker;
    private static RuntimeException startFailure;

    private TestKafka() {}

    public static String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** "external", "testcontainers" or "in-process". */
    public static String kind() {
        return broker().kind();
    }

    public static void createTopics(Map<String, Integer> topicToPartitions) {
        EmbeddedKafkaBroker.createTopics(bootstrapServers(), topicToPartitions);
    }

    private static synchronized Broker broker() {
        if (startFailure != null) {
            throw new IllegalStateException("The test Kafka broker failed to start earlier", startFailure);
        }
        if (broker == null) {
            try {
                broker = startBroker();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return broker;
    }

    private static Broker startBroker() {
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null && !external.isBlank()) {
            awaitAnswer(external);
            log.info("Using the external Kafka at {}", external);
            return new Broker("external", external);
        }

        long start = System.nanoTime();
        boolean docker = dockerAvailable();
        long checkMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        if (docker) {
            log.info("Docker found in {} ms; starting {}", checkMillis, KAFKA_IMAGE);
            KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "test-kafka-shutdown"));
            return new Broker("testcontainers", container.getBootstrapServers());
        }

        log.info("No Docker environment (checked in {} ms); starting an in-process Kafka broker", checkMillis);
        EmbeddedKafkaBroker embedded = EmbeddedKafkaBroker.start(0, null);
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "test-kafka-shutdown"));
        log.info(
                "In-process Kafka broker ready at {} after {} ms",
                embedded.bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return new Broker("in-process", embedded.bootstrapServers());
    }

    /**
     * Never throws. Testcontainers logs a missing Docker at ERROR ("execution cannot continue"), which is
     * wrong here since we fall back, so that one logger is muted for the duration of the check.
     */
    static boolean dockerAvailable() {
        var strategyLog = LoggerFactory.getLogger(DockerClientProviderStrategy.class);
        ch.qos.logback.classic.Logger muted = strategyLog instanceof ch.qos.logback.classic.Logger l ? l : null;
        Level before = muted == null ? null : muted.getLevel();
        if (muted != null) {
            muted.setLevel(Level.OFF);
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Exception | LinkageError e) {
            return false;
        } finally {
            if (muted != null) {
                muted.setLevel(before);
            }
        }
    }

    private static void awaitAnswer(String bootstrapServers) {
        try (Admin admin = EmbeddedKafkaBroker.admin(bootstrapServers)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(30_000))
                    .nodes()
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "KAFKA_BOOTSTRAP_SERVERS=" + bootstrapServers + " does not answer", e.getCause());
        }
    }
}
