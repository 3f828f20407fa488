package com.example.subscriptions.devstack;

import com.example.subscriptions.kafka.NewTopics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, broker and controller combined) running in this JVM.
 * Listens on 127.0.0.1 only, PLAINTEXT, every replication factor 1.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final int NODE_ID = 1;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    /** Extra values for these are added to the defaults, so a test can add a listener next to PLAINTEXT and CONTROLLER. */
    private static final Set<String> APPENDED_PROPERTIES =
            Set.of("listeners", "advertised.listeners", "listener.security.protocol.map");

    private final int port;
    private final Path dataDir;
    private final boolean temporaryDataDir;
    private final Map<String, String> config;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(int port, Path dataDir, boolean temporaryDataDir, Map<String, String> config) {
        this.port = port;
        this.dataDir = dataDir;
        this.temporaryDataDir = temporaryDataDir;
        this.config = config;
    }

    /** Port 0 picks a free port; a null dataDir means a temporary one, deleted on {@link #close()}. */
    public static EmbeddedKafkaBroker start(int port, Path dataDir) {
        return start(port, dataDir, true, Map.of());
    }

    /**
     * As {@link #start(int, Path)}, with broker properties that override the defaults, except that
     * listeners, advertised.listeners and listener.security.protocol.map are appended to them.
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir, Map<String, String> extraProperties) {
        return start(port, dataDir, true, extraProperties);
    }

    public static EmbeddedKafkaBroker start(
            int port, Path dataDir, boolean autoCreateTopics, Map<String, String> extraProperties) {
        try {
            boolean temporary = dataDir == null;
            Path dir = temporary ? Files.createTempDirectory("embedded-kafka-") : Files.createDirectories(dataDir);
            int brokerPort = port == 0 ? freePort() : port;
            Map<String, String> config = brokerConfig(brokerPort, freePort(), dir, autoCreateTopics);
            extraProperties.forEach((key, value) ->
                    config.merge(key, value, APPENDED_PROPERTIES.contains(key) ? (a, b) -> a + "," + b : (a, b) -> b));

            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(brokerPort, dir, temporary, config);
            try {
                broker.format();
                broker.startServer();
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Clean shutdown; the data directory is kept so that {@link #restart()} finds the same topics and records. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Starts again on the same port and data directory, without reformatting. */
    public synchronized void restart() {
        stop();
        startServer();
    }

    @Override
    public synchronized void close() {
        stop();
        if (temporaryDataDir) {
            deleteRecursively(dataDir);
        }
    }

    public void createTopics(Map<String, Integer> topicToPartitions) {
        createTopics(bootstrapServers(), topicToPartitions);
    }

    /** Creates the topics that do not exist yet, with the cluster's default replication factor. */
    public static void createTopics(String bootstrapServers, Map<String, Integer> topicToPartitions) {
        List<NewTopic> topics = topicToPartitions.entrySet().stream()
                .map(e -> new NewTopic(e.getKey(), Optional.of(e.getValue()), Optional.empty()))
                .toList();
        try (Admin admin = admin(bootstrapServers)) {
            for (var result : admin.createTopics(topics).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + result.getKey(), e.getCause());
                    }
                }
            }
            if (!NewTopics.awaitWritable(admin, topicToPartitions.keySet(), Duration.ofSeconds(30))) {
                throw new IllegalStateException("Topics " + topicToPartitions.keySet() + " not writable after 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out creating topics " + topicToPartitions.keySet(), e);
        }
    }

    static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "embedded-kafka-admin"));
    }

    private static Map<String, String> brokerConfig(
            int port, int controllerPort, Path dataDir, boolean autoCreateTopics) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", String.valueOf(NODE_ID));
        // A static quorum lives in the config, not in the metadata log, so a kept data directory
        // can be started again even when the controller port differs.
        c.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        c.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        c.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        c.put("inter.broker.listener.name", "PLAINTEXT");
        c.put("controller.listener.names", "CONTROLLER");
        c.put("log.dirs", dataDir.resolve("logs").toString());

        c.put("num.partitions", "1");
        c.put("default.replication.factor", "1");
        c.put("min.insync.replicas", "1");
        c.put("offsets.topic.replication.factor", "1");
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("share.coordinator.state.topic.replication.factor", "1");
        c.put("share.coordinator.state.topic.min.isr", "1");
        // One partition instead of 50 makes the first consumer group / transaction start fast.
        c.put("offsets.topic.num.partitions", "1");
        c.put("transaction.state.log.num.partitions", "1");
        c.put("group.initial.rebalance.delay.ms", "0");
        c.put("auto.create.topics.enable", String.valueOf(autoCreateTopics));
        return c;
    }

    /** Writes meta.properties and the bootstrap metadata; directories formatted before are left alone. */
    private void format() {
        Path configFile = dataDir.resolve("server.properties");
        Properties props = new Properties();
        props.putAll(config);
        try (Writer out = Files.newBufferedWriter(configFile)) {
            props.store(out, "Written by EmbeddedKafkaBroker for kafka-storage format");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {
            "format",
            "--config",
            configFile.toString(),
            "--cluster-id",
            Uuid.randomUuid().toString(),
            "--ignore-formatted"
        };
        int exitCode;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(args, out);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "kafka-storage format failed: " + output.toString(StandardCharsets.UTF_8), e);
        }
        if (exitCode != 0) {
            throw new IllegalStateException(
                    "kafka-storage format exited with " + exitCode + ": " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private synchronized void startServer() {
        KafkaRaftServer raftServer = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
        server = raftServer;
        try {
            raftServer.startup();
            awaitBrokerAnswers();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private void awaitBrokerAnswers() {
        try (Admin admin = admin(bootstrapServers())) {
            // The admin client retries until the broker is up and registered, within the timeout.
            var nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) STARTUP_TIMEOUT.toMillis()))
                    .nodes()
                    .get();
            if (nodes.stream().noneMatch(node -> node.id() == NODE_ID)) {
                throw new IllegalStateException("Broker " + NODE_ID + " missing from cluster: " + nodes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " did not answer", e.getCause());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
