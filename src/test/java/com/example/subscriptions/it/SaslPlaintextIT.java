package com.example.subscriptions.it;

import static com.example.subscriptions.it.KafkaProbe.json;
import static com.example.subscriptions.it.KafkaProbe.jsonField;
import static com.example.subscriptions.it.KafkaProbe.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.example.subscriptions.app.Main;
import com.example.subscriptions.app.Service;
import com.example.subscriptions.config.Settings;
import com.example.subscriptions.contract.PublishedRecords;
import com.example.subscriptions.devstack.EmbeddedKafkaBroker;
import com.example.subscriptions.devstack.TestTemporal;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The service against a broker whose client listener demands SASL/PLAIN, configured through {@code kafka.*} settings
 * alone (and, in a child JVM, through {@code KAFKA_*} environment variables), and the secret never reaches a log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SaslPlaintextIT {

    /** Unique, so that finding it in a log can only mean it was logged. */
    private static final String SECRET = "subscriptions-secret-" + UUID.randomUUID();

    private static final String ADMIN_SECRET = "admin-secret-" + UUID.randomUUID();
    private static final String USER = "subscriptions";
    private static final String LISTENER = "SASL_PLAINTEXT";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> EXPECTED_FAILURE_LOGGERS = List.of(
            "org.apache.kafka.clients.NetworkClient", "org.apache.kafka.clients.admin.internals.AdminMetadataManager");

    @TempDir
    static Path tempDir;

    private static ListAppender<ILoggingEvent> logged;
    private static EmbeddedKafkaBroker broker;
    private static String saslBootstrap;
    private static Service service;
    private static Map<String, String> topics;
    private static Process child;
    private static Map<String, String> childTopics;
    private static Path childOutputFile;
    private static String childOutput;

    @BeforeAll
    static void startBrokerAndService() throws IOException {
        logged = new ListAppender<>();
        logged.setContext(rootLogger().getLoggerContext());
        logged.start();
        rootLogger().addAppender(logged);

        CompletableFuture<String> temporal = CompletableFuture.supplyAsync(TestTemporal::address);
        int saslPort = freePort();
        saslBootstrap = "127.0.0.1:" + saslPort;
        broker = EmbeddedKafkaBroker.start(0, null, true, brokerProperties(saslPort));
        String temporalAddress = temporal.join();

        // The launcher's JVM boots while this one starts its own service.
        child = startChild(temporalAddress);

        String suffix = UUID.randomUUID().toString().substring(0, 8);
        topics = KafkaProbe.topicsFor(suffix);
        Map<String, String> values = new HashMap<>(topics);
        values.put("roles", "worker,commands");
        values.put("temporal.address", temporalAddress);
        values.put("temporal.task-queue", "email_subscription-" + suffix);
        values.put("commands.group-id", "commands-" + suffix);
        values.put("details.group-id", "details-" + suffix);
        values.put("topics.partitions", "1");
        values.put("server.port", String.valueOf(freePort()));
        values.put("shutdown.timeout", "PT10S");
        values.put("kafka.bootstrap.servers", saslBootstrap);
        values.put("kafka.security.protocol", "SASL_PLAINTEXT");
        values.put("kafka.sasl.mechanism", "PLAIN");
        values.put("kafka.sasl.jaas.config", jaas(USER, SECRET));
        service = Service.start(Settings.of(values), (details, delivery) -> {});
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        try {
            stopChild();
            stopService();
            if (broker != null) {
                broker.close();
            }
        } finally {
            rootLogger().detachAppender(logged);
            logged.stop();
        }
    }

    /**
     * {@link Main}, as {@code java -jar} runs it, in a JVM of its own whose environment holds the settings as
     * {@code KAFKA_*} (and other) variables, and nothing else that could configure it.
     */
    private static Process startChild(String temporalAddress) throws IOException {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        childTopics = KafkaProbe.topicsFor(suffix);
        childOutputFile = tempDir.resolve("child-" + suffix + ".log");
        Path workDir = Files.createDirectories(tempDir.resolve("child-" + suffix));

        ProcessBuilder builder = new ProcessBuilder(
                        new File(System.getProperty("java.home"), "bin/java").getPath(),
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "worker,commands")
                .directory(workDir.toFile()) // so no config/application.properties is read
                .redirectErrorStream(true)
                .redirectOutput(childOutputFile.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> !List.of("PATH", "HOME", "TMPDIR", "LANG").contains(name));
        childTopics.forEach((key, topic) -> env.put(envName(key), topic));
        env.put("TEMPORAL_ADDRESS", temporalAddress);
        env.put("TEMPORAL_TASK_QUEUE", "email_subscription-" + suffix);
        env.put("COMMANDS_GROUP_ID", "commands-" + suffix);
        env.put("DETAILS_GROUP_ID", "details-" + suffix);
        env.put("TOPICS_PARTITIONS", "1");
        env.put("SERVER_PORT", String.valueOf(freePort()));
        env.put("SHUTDOWN_TIMEOUT", "PT10S");
        env.put("KAFKA_BOOTSTRAP_SERVERS", saslBootstrap);
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        env.put("KAFKA_SASL_MECHANISM", "PLAIN");
        env.put("KAFKA_SASL_JAAS_CONFIG", jaas(USER, SECRET));
        return builder.start();
    }

    /** Stops the launcher as SIGTERM does and keeps what it printed. */
    private static synchronized void stopChild() throws InterruptedException {
        if (child == null) {
            return;
        }
        child.destroy();
        if (!child.waitFor(20, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        child = null;
        childOutput = read(childOutputFile);
    }

    /**
     * The PLAINTEXT and CONTROLLER listeners of {@link EmbeddedKafkaBroker} stay as they are (inter-broker and
     * controller traffic, and its own readiness check); clients get a SASL_PLAINTEXT listener next to them.
     */
    static Map<String, String> brokerProperties(int saslPort) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("listeners", LISTENER + "://127.0.0.1:" + saslPort);
        props.put("advertised.listeners", LISTENER + "://127.0.0.1:" + saslPort);
        props.put("listener.security.protocol.map", LISTENER + ":SASL_PLAINTEXT");
        props.put("sasl.enabled.mechanisms", "PLAIN");
        props.put(
                "listener.name." + LISTENER.toLowerCase(Locale.ROOT) + ".plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"admin\" password=\"" + ADMIN_SECRET + "\""
                        + " user_admin=\"" + ADMIN_SECRET + "\""
                        + " user_" + USER + "=\"" + SECRET + "\";");
        return props;
    }

    @Test
    @Order(1)
    void subscribeSentOverSaslComesBackSubscribedOverSasl() {
        try (SaslProbe probe = new SaslProbe(SECRET, topics.get("topics.events"))) {
            String email = newEmail();
            String commandId = UUID.randomUUID().toString();

            probe.send(topics.get("topics.commands"), email, command(email, commandId));

            ConsumerRecord<byte[], byte[]> event =
                    probe.await(jsonField(topics.get("topics.events"), "commandId", commandId));
            assertEquals("SUBSCRIBED", json(event).get("outcome").asText());
            assertEquals(email, json(event).get("email").asText());
            assertEquals(email, text(event.key()));
        }
    }

    @Test
    @Order(2)
    @SuppressWarnings("try") // the capture only has to last as long as the try
    void theListenerRejectsAWrongPassword() throws Exception {
        Map<String, Object> wrong = new HashMap<>(saslClient("not-" + SECRET));
        try (var quiet = capturedOnly(EXPECTED_FAILURE_LOGGERS);
                Admin admin = Admin.create(wrong)) {
            ExecutionException failure = assertThrows(
                    ExecutionException.class,
                    () -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(10_000))
                            .clusterId()
                            .get(20, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, failure.getCause(), failure.toString());
        }
        try (Admin admin = Admin.create(new HashMap<>(saslClient(SECRET)))) {
            assertFalse(clusterId(admin).isEmpty(), "the right password is accepted");
        }
    }

    /** The same SASL settings as {@code KAFKA_*} environment variables, read by {@link Main} in a JVM of its own. */
    @Test
    @Order(3)
    void environmentVariablesConfigureSaslForTheRealLauncher() throws Exception {
        Process launcher = child;
        try (SaslProbe probe = new SaslProbe(SECRET, childTopics.get("topics.events"))) {
            String email = newEmail();
            String commandId = UUID.randomUUID().toString();
            probe.send(childTopics.get("topics.commands"), email, command(email, commandId));

            ConsumerRecord<byte[], byte[]> event = probe.await(
                    () -> {
                        if (!launcher.isAlive()) {
                            throw new AssertionError(
                                    "the service exited with " + launcher.exitValue() + ":\n" + read(childOutputFile));
                        }
                    },
                    jsonField(childTopics.get("topics.events"), "commandId", commandId));
            assertEquals("SUBSCRIBED", json(event).get("outcome").asText());
        } finally {
            stopChild();
        }
        assertTrue(childOutput.contains("sasl.jaas.config=[hidden]"), childOutput);
        assertFalse(childOutput.contains(SECRET), "the secret is in the service's output:\n" + childOutput);
    }

    /** Last, after the service stopped, so that everything it logged is checked. */
    @Test
    @Order(4)
    void noSecretWasLogged() throws InterruptedException {
        stopChild();
        stopService();
        List<String> texts = new ArrayList<>();
        synchronized (logged) { // AppenderBase appends under this lock
            for (ILoggingEvent event : logged.list) {
                String text = event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage();
                if (event.getThrowableProxy() != null) {
                    text += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
                }
                texts.add(text);
            }
        }
        assertTrue(
                texts.stream().anyMatch(t -> t.contains("sasl.jaas.config=[hidden]")),
                "the service logged its Kafka client settings, redacted");
        for (String secret : List.of(SECRET, ADMIN_SECRET)) {
            List<String> leaks = texts.stream().filter(t -> t.contains(secret)).toList();
            assertTrue(
                    leaks.isEmpty(), "a secret was logged " + leaks.size() + " time(s):\n" + String.join("\n", leaks));
        }
        if (childOutput != null) {
            assertFalse(childOutput.contains(SECRET) || childOutput.contains(ADMIN_SECRET));
        }
    }

    /**
     * Until closed, what these loggers log goes to {@link #logged} only, not on to the console: the client logs a
     * failed authentication at ERROR and WARN, which is the expected outcome here, not a problem to report.
     */
    private static AutoCloseable capturedOnly(List<String> loggerNames) {
        List<ch.qos.logback.classic.Logger> loggers = loggerNames.stream()
                .map(name -> (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name))
                .toList();
        for (var logger : loggers) {
            logger.addAppender(logged);
            logger.setAdditive(false);
        }
        return () -> {
            for (var logger : loggers) {
                logger.setAdditive(true);
                logger.detachAppender(logged);
            }
        };
    }

    private static synchronized void stopService() {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    private static String clusterId(Admin admin) {
        try {
            return admin.describeCluster(new DescribeClusterOptions().timeoutMs(10_000))
                    .clusterId()
                    .get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("describeCluster with the right password failed", e);
        }
    }

    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    private static Map<String, Object> saslClient(String password) {
        return Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                saslBootstrap,
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM,
                "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG,
                jaas(USER, password));
    }

    private static String command(String email, String commandId) {
        return "{\"type\":\"subscribe\",\"email\":\"" + email + "\",\"commandId\":\"" + commandId + "\"}";
    }

    private static String newEmail() {
        return "user-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    /** {@code topics.commands-dlt} is {@code TOPICS_COMMANDS_DLT}, as the service documents it. */
    private static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static ch.qos.logback.classic.Logger rootLogger() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A producer and a consumer authenticated as {@value #USER}, reading the given topics from the beginning. */
    private static final class SaslProbe implements AutoCloseable {

        private final KafkaProducer<byte[], byte[]> producer;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();

        SaslProbe(String password, String... topics) {
            Map<String, Object> producerProps = new HashMap<>(saslClient(password));
            producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
            Map<String, Object> consumerProps = new HashMap<>(saslClient(password));
            consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "sasl-probe-" + UUID.randomUUID());
            consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(topics));
        }

        void send(String topic, String key, String value) {
            try {
                producer.send(new ProducerRecord<>(topic, KafkaProbe.bytes(key), KafkaProbe.bytes(value)))
                        .get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("send over SASL failed", e);
            }
        }

        ConsumerRecord<byte[], byte[]> await(Predicate<ConsumerRecord<byte[], byte[]>> matching) {
            return await(() -> {}, matching);
        }

        /** As {@link #await(Predicate)}, running {@code check} (which may throw) before every poll. */
        ConsumerRecord<byte[], byte[]> await(Runnable check, Predicate<ConsumerRecord<byte[], byte[]>> matching) {
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> {
                check.run();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    PublishedRecords.assertConforms(record);
                    received.add(record);
                }
                received.stream().filter(matching).findFirst().ifPresent(found::add);
                return !found.isEmpty();
            });
            return found.get(0);
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(5));
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }
}
