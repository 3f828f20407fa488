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
 * real time, an SMTP server (GreenMail) that receives the emails, and the service with all its roles, delivering
 * over SMTP with working one-click unsubscribe links. {@code ./mvnw -q -Pdev} runs {@link #main}; tests start it with
 * free ports through {@link #start}.
 */
public final class DevStack implements AutoCloseable {

    private final EmbeddedKafkaBroker kafka;
    private final EmbeddedTemporal temporal;
    private final DevMailServer mail;
    private final Service service;
    private final Duration startup;

    /** Signs the dev stack's links; any real deployment sets its own unsubscribe.secret. */
    static final String DEV_SECRET = "dev-stack-only-unsubscribe-secret-not-for-production";

    private DevStack(
            EmbeddedKafkaBroker kafka,
            EmbeddedTemporal temporal,
            DevMailServer mail,
            Service service,
            Duration startup) {
        this.kafka = kafka;
        this.temporal = temporal;
        this.mail = mail;
        this.service = service;
        this.startup = startup;
    }

    /**
     * @param kafkaPort 0 for any free port
     * @param temporalPort 0 for any free port
     * @param overrides settings that win over the file, environment and system properties
     */
    public static DevStack start(int kafkaPort, int temporalPort, Map<String, String> overrides) {
        return start(kafkaPort, temporalPort, 0, overrides);
    }

    /** @param smtpPort 0 for any free port */
    public static DevStack start(int kafkaPort, int temporalPort, int smtpPort, Map<String, String> overrides) {
        long started = System.nanoTime();
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(kafkaPort, null);
        EmbeddedTemporal temporal = null;
        DevMailServer mail = null;
        try {
            temporal = EmbeddedTemporal.start(temporalPort);
            mail = DevMailServer.start(smtpPort);
            Map<String, String> settings = new HashMap<>();
            unlessSetOutside(settings, "mail.sender", "smtp");
            unlessSetOutside(settings, "mail.from", "Subscriptions (dev) <subscriptions@example.com>");
            unlessSetOutside(settings, "unsubscribe.secret", DEV_SECRET);
            settings.putAll(overrides);
            settings.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            settings.put("temporal.address", temporal.address());
            settings.put("mail.host", "127.0.0.1");
            settings.put("mail.port", Integer.toString(mail.port()));
            settings.put("mail.tls", "off");
            Service service =
                    Service.start(Settings.load(Optional.empty(), System.getenv(), System.getProperties(), settings));
            return new DevStack(kafka, temporal, mail, service, Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            if (mail != null) {
                mail.close();
            }
            if (temporal != null) {
                temporal.close();
            }
            kafka.close();
            throw e;
        }
    }

    /** A dev default that {@code -Dkey=...} or the key's environment variable still overrides. */
    private static void unlessSetOutside(Map<String, String> settings, String key, String value) {
        String envName =
                key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
        if (System.getProperty(key) == null && System.getenv(envName) == null) {
            settings.put(key, value);
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

    public DevMailServer mail() {
        return mail;
    }

    @Override
    public void close() {
        service.close();
        mail.close();
        temporal.close();
        kafka.close();
    }

    public static void main(String[] args) throws InterruptedException {
        int kafkaPort = Integer.getInteger("dev.kafka-port", 9092);
        int temporalPort = Integer.getInteger("dev.temporal-port", 7233);
        int smtpPort = Integer.getInteger("dev.smtp-port", 3025);
        DevStack stack = start(kafkaPort, temporalPort, smtpPort, Map.of());
        stack.mail().onDelivered(message -> System.out.println(DevMailServer.describe(message)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("Stopping the dev stack...");
                            stack.close();
                            stopped.countDown();
                        },
                        "dev-stack-stop"));
        System.out.println(stack.banner());
        stopped.await();
    }

    String banner() {
        Settings s = service.settings();
        String kafkaAddress = kafka.bootstrapServers();
        return String.join(
                "\n",
                "",
                "Subscription service ready in " + String.format("%.1f", startup.toMillis() / 1000.0) + " s",
                "  Kafka      " + kafkaAddress + "  (in-process broker, KRaft)",
                "  Temporal   " + temporal.address() + "  (SDK test server; namespace "
                        + s.temporal().namespace() + ", task queue "
                        + s.temporal().taskQueue() + ")",
                "  HTTP       http://localhost:" + service.httpPort() + "/health/ready   /metrics",
                "  SMTP       127.0.0.1:" + mail.port() + "  (in-process GreenMail; each email it receives is printed"
                        + " below, with its unsubscribe link)",
                "  Links      " + service.unsubscribeBaseUrl() + "/unsubscribe?token=...  (one-click unsubscribe)",
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
                "  kafka-console-producer.sh --bootstrap-server " + kafkaAddress + " --topic "
                        + s.topics().commands() + " --property parse.key=true --property key.separator='|'",
                "",
                "Unsubscribe with the link printed under an email (open it in a browser for the confirm page):",
                "  curl -X POST -d List-Unsubscribe=One-Click '" + service.unsubscribeBaseUrl()
                        + "/unsubscribe?token=...'",
                "",
                "Ctrl-C stops everything.");
    }
}
