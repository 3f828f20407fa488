package com.example.subscriptions.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.contract.Payload;
import com.example.subscriptions.devstack.TestTemporal;
import com.example.subscriptions.workflow.SendEmailWorkflow;
import com.example.subscriptions.workflow.SubscriptionInput;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar that {@code package} writes (maven-shade-plugin): it starts with {@code java -jar}, holds our
 * classes and the runtime dependencies, and nothing of the test scope (broker, Scala, Temporal test server).
 */
class PackagingIT {

    private static final String MAIN_CLASS = "com.example.subscriptions.app.Main";

    private static Path basedir;
    private static Path jar;
    private static List<String> entries;

    @BeforeAll
    static void openJar() throws IOException {
        basedir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        jar = basedir.resolve("target/subscriptions.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing; run mvn package first");
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(JarEntry::getName).collect(Collectors.toUnmodifiableList());
        }
    }

    @Test
    void manifestNamesTheMainClass() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            assertNotNull(manifest, "no manifest");
            Attributes main = manifest.getMainAttributes();
            assertEquals(MAIN_CLASS, main.getValue(Attributes.Name.MAIN_CLASS));
            // Dependencies carry Java 9+ variants under META-INF/versions; without this they are ignored.
            assertEquals("true", main.getValue(Attributes.Name.MULTI_RELEASE));
        }
    }

    @Test
    void holdsOurClassesAndTheRuntimeDependencies() {
        assertContains(MAIN_CLASS.replace('.', '/') + ".class");
        assertContains("com/example/subscriptions/workflow/SendEmailWorkflowImpl.class");
        assertContains("logback.xml");
        assertHasPrefix("io/temporal/client/");
        assertHasPrefix("org/apache/kafka/clients/");
        assertHasPrefix("io/grpc/");
        assertHasPrefix("com/fasterxml/jackson/databind/");
        assertHasPrefix("ch/qos/logback/classic/");
        assertHasPrefix("org/eclipse/angus/mail/smtp/");
        assertHasPrefix("freemarker/template/");
        assertContains("mail-templates/welcome.txt");
        assertContains("META-INF/services/jakarta.mail.Provider");
        assertHasPrefix("picocli/");
    }

    @Test
    void shipsTheContractsJsonSchemas() {
        for (Payload payload : Payload.values()) {
            assertContains(payload.resource());
        }
    }

    @Test
    void leavesOutTheTestScope() {
        for (String prefix : List.of(
                "kafka/server/",
                "scala/",
                "io/temporal/testserver/",
                "io/temporal/testing/",
                "org/testcontainers/",
                "org/apache/kafka/tools/",
                "org/junit/",
                "org/awaitility/",
                "com/icegreen/",
                "com/example/subscriptions/devstack/",
                "com/example/subscriptions/it/")) {
            List<String> found =
                    entries.stream().filter(e -> e.startsWith(prefix)).limit(3).toList();
            assertTrue(found.isEmpty(), "the jar must not contain " + prefix + " but has " + found);
        }
    }

    @Test
    void mergesServiceFilesAndDropsSignatures() throws IOException {
        // gRPC finds its channel, name resolver and load balancer providers through META-INF/services; several jars
        // contribute to the same file, so the files must be merged, not the first one kept.
        String resolvers = read("META-INF/services/io.grpc.NameResolverProvider");
        assertTrue(resolvers.contains("io.grpc.internal.DnsNameResolverProvider"), resolvers);
        String channels = read("META-INF/services/io.grpc.ManagedChannelProvider");
        assertTrue(channels.contains("NettyChannelProvider"), channels);
        String balancers = read("META-INF/services/io.grpc.LoadBalancerProvider");
        assertTrue(balancers.contains("io.grpc.internal.PickFirstLoadBalancerProvider"), balancers);

        List<String> signatures = entries.stream()
                .filter(e -> e.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"))
                .toList();
        assertTrue(signatures.isEmpty(), "signature files left in the jar: " + signatures);
    }

    @Test
    void runsAndStopsOnAMissingConfigFile() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path output = Files.createTempFile("subscriptions-jar", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(
                            java.toString(), "-jar", jar.toString(), "--config", "/nonexistent")
                    .directory(basedir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            Process process = builder.start();
            boolean exited = process.waitFor(30, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertTrue(exited, "java -jar did not exit within 30 s; output:\n" + text);
            assertEquals(2, process.exitValue(), "exit code; output:\n" + text);
            assertTrue(text.contains("/nonexistent"), "the message should name the file; output:\n" + text);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * The shaded jar finds Angus Mail's SMTP provider and MIME handlers (META-INF files a careless shade loses), and,
     * started where there is no config/mail, the templates packaged in it. With tracing off (the default), delivering
     * an email loads no class of OpenTelemetry or OpenTracing.
     */
    @Test
    void deliversEmailFromAnyDirectoryWithTheTemplatesInTheJar() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        Path workDir = Files.createTempDirectory("subscriptions-jar-mail");
        ServiceFixture names = new ServiceFixture();
        String email = "jar-" + names.suffix + "@example.com";
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        // Every class the JVM loads, to show that tracing off costs nothing: no SDK class.
                        "-Xlog:class+load=info:file=classes.log",
                        "-jar",
                        jar.toString(),
                        "worker")
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("out.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("TEMPORAL_ADDRESS", TestTemporal.address());
        env.put("TEMPORAL_TASK_QUEUE", names.taskQueue);
        env.put("SERVER_PORT", "0");
        env.put("MAIL_SENDER", "smtp");
        env.put("MAIL_HOST", "127.0.0.1");
        env.put("MAIL_PORT", Integer.toString(smtp.getSmtp().getPort()));
        env.put("MAIL_TLS", "off");
        env.put("MAIL_FROM", "news@example.com");
        env.put("UNSUBSCRIBE_SECRET", "packaging-it-secret-0123456789abcdef");
        Process service = builder.start();
        try (names) {
            WorkflowClient.start(
                    names.client()
                            .newWorkflowStub(
                                    SendEmailWorkflow.class,
                                    WorkflowOptions.newBuilder()
                                            .setTaskQueue(names.taskQueue)
                                            .setWorkflowId(email)
                                            .build())::run,
                    SubscriptionInput.of(email, Duration.ofHours(1)));

            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> smtp.getReceivedMessages().length > 0 || !service.isAlive());
            String log = Files.readString(workDir.resolve("out.log"), StandardCharsets.UTF_8);
            assertEquals(1, smtp.getReceivedMessages().length, log);
            assertEquals("Welcome to our Subscription Workflow!", smtp.getReceivedMessages()[0].getSubject());
            assertTrue(log.contains("templates from the jar's defaults"), log);
            List<String> tracingClasses = Files.readAllLines(workDir.resolve("classes.log")).stream()
                    .filter(line -> line.contains(" io.opentelemetry.") || line.contains(" io.opentracing."))
                    .limit(5)
                    .toList();
            assertEquals(List.of(), tracingClasses, "tracing is off by default and loads nothing of its SDK");
            names.client().newUntypedWorkflowStub(email).terminate("test over");
        } finally {
            service.destroy();
            service.waitFor(30, TimeUnit.SECONDS);
            smtp.stop();
        }
    }

    @Test
    void binSubscriptionsRunsTheCliFromTheJarAndFailsFastWithoutKafka() throws Exception {
        String servers = "127.0.0.1:" + closedPort();
        // Twice: a run without an archive beside the jar tries to write one (and, failing, keeps none).
        for (int run = 1; run <= 2; run++) {
            Path out = Files.createTempFile("subscriptions-cli", ".out");
            Path err = Files.createTempFile("subscriptions-cli", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(
                                "sh", "bin/subscriptions", "details", "x@example.com", "--connect-timeout", "1s")
                        .directory(basedir.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", servers);
                Process process = builder.start();
                assertTrue(process.waitFor(60, TimeUnit.SECONDS), "bin/subscriptions did not exit within 60 s");
                String errors = Files.readString(err, StandardCharsets.UTF_8);
                assertEquals(4, process.exitValue(), errors);
                assertEquals("", Files.readString(out, StandardCharsets.UTF_8));
                assertEquals(
                        List.of("Kafka at " + servers + " (kafka.bootstrap.servers) cannot be reached: no "
                                + "answer within 1 s."),
                        errors.lines().toList(),
                        "run " + run);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void shipsTheConfigurationAndTheComposeFile() {
        assertTrue(
                Files.isRegularFile(basedir.resolve("config/application.properties")),
                "config/application.properties is missing");
        assertTrue(Files.isRegularFile(basedir.resolve("docker-compose.yml")), "docker-compose.yml is missing");
        assertTrue(Files.isRegularFile(basedir.resolve("config/mail/welcome.txt")), "config/mail is missing");
    }

    private static void assertContains(String entry) {
        assertTrue(entries.contains(entry), "the jar has no " + entry);
    }

    private static void assertHasPrefix(String prefix) {
        assertTrue(entries.stream().anyMatch(e -> e.startsWith(prefix)), "the jar has nothing under " + prefix);
    }

    private static String read(String entry) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            JarEntry e = file.getJarEntry(entry);
            assertNotNull(e, "the jar has no " + entry);
            try (InputStream in = file.getInputStream(e)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
