package com.example.subscriptions.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.example.subscriptions.cli.Cli;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.devstack.DevMailServer;
import com.example.subscriptions.devstack.DevStack;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The dev stack as the README's run command starts it (on free ports), used through the CLI, HTTP and email. */
class DevStackIT {

    private static DevStack stack;
    private static ListAppender<ILoggingEvent> logs;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startStack() {
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        stack = DevStack.start(0, 0, Map.of("server.port", "0", "unsubscribe.port", "0", "topics.partitions", "2"));
    }

    @AfterAll
    static void stopStack() {
        stack.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    private record CliRun(int exitCode, String out, String err) {
        JsonNode json() throws Exception {
            return Json.MAPPER.readTree(out);
        }
    }

    private static CliRun cli(String... args) {
        return cli(Map.of(), args);
    }

    private static CliRun cli(Map<String, String> settings, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> overrides = new HashMap<>(settings);
        overrides.put("kafka.bootstrap.servers", stack.bootstrapServers());
        int code = Cli.run(
                args,
                overrides,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8).strip(), err.toString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(
                                URI.create("http://localhost:" + stack.service().httpPort() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String newEmail() {
        return "dev-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    @Test
    void cliSubscribesAndReadsDetailsThroughTheRunningStack() throws Exception {
        String email = newEmail();

        CliRun subscribed = cli("subscribe", email);
        assertEquals(0, subscribed.exitCode(), subscribed.err());
        assertEquals("SUBSCRIBED", subscribed.json().get("outcome").asText());

        CliRun details = cli("details", email.toUpperCase());
        assertEquals(0, details.exitCode(), details.err());
        assertEquals("RUNNING", details.json().get("status").asText());
        assertEquals(email, details.json().get("email").asText());

        CliRun unsubscribed = cli("unsubscribe", email);
        assertEquals(0, unsubscribed.exitCode(), unsubscribed.err());
        assertEquals("UNSUBSCRIBE_REQUESTED", unsubscribed.json().get("outcome").asText());
    }

    @Test
    void cliRefusesBadUsageAndSaysWhenNoServiceAnswers() throws Exception {
        assertEquals(Cli.USAGE, cli("subscribe").exitCode());
        assertEquals(Cli.USAGE, cli("resubscribe", "a@example.com").exitCode());
        CliRun invalidEmail = cli("subscribe", "not an email");
        assertEquals(Cli.USAGE, invalidEmail.exitCode());
        assertTrue(invalidEmail.err().contains("not an email address"), invalidEmail.err());

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("nobody-consumes-this", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        CliRun unanswered =
                cli(Map.of("topics.commands", "nobody-consumes-this"), "subscribe", newEmail(), "--timeout", "2s");
        assertEquals(Cli.NO_ANSWER, unanswered.exitCode(), unanswered.err());
        assertTrue(unanswered.err().contains("is the service running"), unanswered.err());

        CliRun noTopic = cli(Map.of("topics.commands", "no-such-topic"), "subscribe", newEmail());
        assertEquals(Cli.USAGE, noTopic.exitCode(), noTopic.err());
        assertTrue(noTopic.err().startsWith("Topic no-such-topic does not exist"), noTopic.err());
    }

    @Test
    void healthGoesReadyAndMetricsCountCommandsByOutcome() throws Exception {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> get("/health/ready").statusCode() == 200);
        assertTrue(get("/health/ready").body().contains("\"status\":\"UP\""));
        assertEquals(200, get("/health/live").statusCode());

        assertEquals(0, cli("unsubscribe", newEmail()).exitCode());

        String metrics = get("/metrics").body();
        assertTrue(
                metrics.contains("subscriptions_commands_total{outcome=\"NOT_SUBSCRIBED\",type=\"unsubscribe\"}"),
                "metrics:\n"
                        + metrics.lines()
                                .filter(l -> l.startsWith("subscriptions_"))
                                .toList());
        assertTrue(metrics.contains("subscriptions_in_flight{role=\"commands\"}"));
        assertTrue(metrics.contains("kafka_consumer_fetch_manager_records_lag_max"));
    }

    @Test
    void eachDeliveredEmailIsPrintedWithALinkThatUnsubscribesWithOneClick() throws Exception {
        String email = newEmail();
        assertEquals(0, cli("subscribe", email).exitCode());
        MimeMessage welcome = awaitEmail(email, "Welcome to our Subscription Workflow!");

        String printed = DevMailServer.describe(welcome);
        assertTrue(printed.startsWith("Email to " + email + ": \"Welcome to our Subscription Workflow!\""), printed);
        String link = printed.substring(printed.indexOf("'") + 1, printed.lastIndexOf("'"));
        assertTrue(link.startsWith(stack.service().unsubscribeBaseUrl() + "/unsubscribe?token=v1."), link);

        HttpResponse<String> clicked = http.send(
                HttpRequest.newBuilder(URI.create(link))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, clicked.statusCode(), clicked.body());
        awaitEmail(email, "Sorry to see you go");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> cli("details", email).json().get("status").asText().equals("CANCELED"));
    }

    private static MimeMessage awaitEmail(String email, String subject) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> find(email, subject) != null);
        return find(email, subject);
    }

    private static MimeMessage find(String email, String subject) {
        for (MimeMessage message : stack.mail().received()) {
            try {
                if (message.getAllRecipients()[0].toString().equals(email)
                        && message.getSubject().equals(subject)) {
                    return message;
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }

    @Test
    void logsMaskEmailAddresses() {
        String email = newEmail();
        assertEquals(0, cli("subscribe", email).exitCode());
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> logs.list.stream()
                        .anyMatch(e -> e.getFormattedMessage().contains("Sent welcome email #1 to d***@example.com")));

        assertFalse(
                logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains(email)),
                "an unmasked address was logged");
        assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("subscribe d***@example.com")));
    }
}
