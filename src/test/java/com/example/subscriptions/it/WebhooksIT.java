package com.example.subscriptions.it;

import static com.example.subscriptions.it.KafkaProbe.json;
import static com.example.subscriptions.it.KafkaProbe.jsonField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.webhooks.HttpUrlFetcher;
import com.example.subscriptions.webhooks.SnsEndpoints;
import com.example.subscriptions.webhooks.SnsHosts;
import com.example.subscriptions.webhooks.SnsTestMessages;
import com.example.subscriptions.webhooks.TestCertificate;
import com.example.subscriptions.webhooks.WebhookSigner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The provider webhooks through the real public listener, broker and Temporal service: an SES Permanent Bounce ends a
 * subscription and suppresses the address, a forged one changes nothing, an SNS subscription is confirmed, and a
 * signed generic complaint suppresses too. SNS is a local HTTP stub serving a test certificate and the confirmation,
 * fetched by the service's own fetcher; only the allowed hosts differ from Amazon's.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WebhooksIT {

    private static final String SECRET = "webhooks-it-secret-0123456789abcdef";
    private static final TestCertificate CERTIFICATE = TestCertificate.create();

    private static ServiceFixture fixture;
    private static Service service;
    private static KafkaProbe kafka;
    private static WorkflowClient temporal;
    private static HttpServer sns;
    private static SnsTestMessages messages;
    private static final AtomicInteger confirmations = new AtomicInteger();
    private static final AtomicInteger certificateFetches = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeAll
    static void start() throws Exception {
        sns = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sns.createContext("/SimpleNotificationService-test.pem", exchange -> {
            certificateFetches.incrementAndGet();
            byte[] pem = CERTIFICATE.pem();
            exchange.sendResponseHeaders(200, pem.length);
            exchange.getResponseBody().write(pem);
            exchange.close();
        });
        sns.createContext("/confirm", exchange -> {
            confirmations.incrementAndGet();
            byte[] answer = "<ConfirmSubscriptionResponse/>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        sns.start();
        messages = new SnsTestMessages(
                CERTIFICATE, "http://127.0.0.1:" + sns.getAddress().getPort() + "/SimpleNotificationService-test.pem");

        fixture = new ServiceFixture();
        service = Service.start(
                fixture.settings(Map.of(
                        "roles", "worker,commands,unsubscribe",
                        "subscription.interval", "PT1H",
                        "unsubscribe.secret", "webhooks-it-links-0123456789abcdef",
                        "webhooks.ses.topic-arns", SnsTestMessages.TOPIC,
                        "webhooks.secrets", SECRET)),
                (details, delivery) -> {},
                new SnsEndpoints(
                        new SnsHosts(Pattern.compile("127\\.0\\.0\\.1"), Set.of("http")),
                        HttpUrlFetcher.withDefaults()));
        kafka = new KafkaProbe(fixture.topic("commands"), fixture.topic("events"));
        temporal = fixture.client();
    }

    @AfterAll
    static void stop() {
        kafka.close();
        fixture.close();
        sns.stop(0);
    }

    private static String newEmail() {
        return "webhook-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static JsonNode command(String email, String type) {
        String commandId = "it-" + UUID.randomUUID();
        kafka.send(
                fixture.topic("commands"),
                email,
                "{\"type\":\"" + type + "\",\"email\":\"" + email + "\",\"commandId\":\"" + commandId + "\"}");
        return json(kafka.await(jsonField(fixture.topic("events"), "commandId", commandId)));
    }

    private static HttpResponse<String> post(String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + service.unsubscribePort() + path))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> ses(ObjectNode message) throws Exception {
        return post("/webhooks/ses", Map.of("Content-Type", "text/plain; charset=UTF-8"), message.toString());
    }

    private static WorkflowExecutionStatus status(String email) {
        return temporal.newUntypedWorkflowStub(email).describe().getStatus();
    }

    @Test
    void anSesPermanentBounceEndsTheSubscriptionAndALaterSubscribeIsSuppressed() throws Exception {
        String email = newEmail();
        assertEquals("SUBSCRIBED", command(email, "subscribe").get("outcome").asText());

        HttpResponse<String> answer = ses(messages.notification(
                SnsTestMessages.permanentBounce(Map.of(email, "smtp; 550 5.1.1 user unknown")), "2"));

        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode bounced = json(kafka.await(record -> record.topic().equals(fixture.topic("events"))
                && email.equals(json(record).path("email").asText())
                && json(record).path("commandId").asText().startsWith("ses-")));
        assertEquals("SUPPRESSED", bounced.get("outcome").asText());
        assertEquals("ses", bounced.get("source").asText());
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> status(email) == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);

        assertEquals("SUPPRESSED", command(email, "subscribe").get("outcome").asText());
    }

    @Test
    void aForgedBounceIsRefusedAndChangesNothing() throws Exception {
        String email = newEmail();
        assertEquals("SUBSCRIBED", command(email, "subscribe").get("outcome").asText());
        ObjectNode forged =
                messages.notification(SnsTestMessages.permanentBounce(Map.of("someone-else@example.com", "550")), "2");
        forged.put("Message", SnsTestMessages.permanentBounce(Map.of(email, "550")));

        assertEquals(403, ses(forged).statusCode());
        assertEquals(
                401,
                post(
                                "/webhooks/generic",
                                Map.of("Content-Type", "application/json"),
                                "{\"type\":\"bounce\",\"email\":\"" + email + "\"}")
                        .statusCode());

        // The subscriber's next command is answered as if nothing had come between.
        assertEquals(
                "ALREADY_SUBSCRIBED", command(email, "subscribe").get("outcome").asText());
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status(email));
        assertTrue(
                kafka.all(record -> record.topic().equals(fixture.topic("commands"))
                                && email.equals(KafkaProbe.text(record.key()))
                                && !json(record).path("commandId").asText().startsWith("it-"))
                        .isEmpty(),
                "nothing published for the forged reports");
    }

    @Test
    void aFloodOfForgedNoticesPublishesNothingCostsNoFetchAndIsCountedWhileARealOneGoesThrough() throws Exception {
        String email = newEmail();
        assertEquals("SUBSCRIBED", command(email, "subscribe").get("outcome").asText());
        // Warm the certificate cache, so the flood's cost is what is counted below.
        ses(messages.notification(SnsTestMessages.permanentBounce(Map.of("warm-" + email, "550")), "2"));
        int fetchesBefore = certificateFetches.get();
        String victim = newEmail();
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ObjectNode forged =
                    messages.notification(SnsTestMessages.permanentBounce(Map.of("x@example.com", "550")), "2");
            forged.put("Message", SnsTestMessages.permanentBounce(Map.of(victim, "550")));
            flood.add(HTTP.sendAsync(
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + service.unsubscribePort() + "/webhooks/ses"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "text/plain")
                            .POST(HttpRequest.BodyPublishers.ofString(forged.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        HttpResponse<String> real = ses(messages.notification(
                SnsTestMessages.permanentBounce(Map.of(email, "smtp; 550 5.1.1 user unknown")), "2"));
        for (CompletableFuture<HttpResponse<String>> forged : flood) {
            assertEquals(403, forged.get(30, TimeUnit.SECONDS).statusCode());
        }

        assertEquals(200, real.statusCode(), real.body());
        assertEquals(
                fetchesBefore, certificateFetches.get(), "forgeries pointing at the known certificate fetch nothing");
        assertTrue(kafka.all(record -> record.topic().equals(fixture.topic("commands"))
                        && victim.equals(KafkaProbe.text(record.key())))
                .isEmpty());
        String metrics = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher counted = Pattern.compile(
                        "subscriptions_http_requests_total\\{listener=\"unsubscribe\",outcome=\"bad_signature\","
                                + "route=\"ses-webhook\",status=\"403\"} ([0-9.]+)")
                .matcher(metrics);
        assertTrue(counted.find(), metrics);
        assertTrue(Double.parseDouble(counted.group(1)) >= 100, counted.group());
    }

    @Test
    void anSnsSubscriptionIsConfirmedAtTheStub() throws Exception {
        int before = confirmations.get();
        HttpResponse<String> answer = ses(messages.subscriptionConfirmation(
                "http://127.0.0.1:" + sns.getAddress().getPort() + "/confirm?Action=ConfirmSubscription&Token=t"));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(before + 1, confirmations.get());
    }

    @Test
    void aSignedGenericComplaintSuppressesTheAddress() throws Exception {
        String email = newEmail();
        assertEquals("SUBSCRIBED", command(email, "subscribe").get("outcome").asText());
        String body = "{\"type\":\"complaint\",\"email\":\"" + email + "\",\"diagnostic\":\"abuse\",\"id\":\"c-1\"}";
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);

        HttpResponse<String> answer = post(
                "/webhooks/generic",
                Map.of(
                        "Content-Type",
                        "application/json",
                        "X-Webhook-Timestamp",
                        timestamp,
                        "X-Webhook-Signature",
                        WebhookSigner.header(SECRET, timestamp, body)),
                body);

        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode complained = json(kafka.await(record -> record.topic().equals(fixture.topic("events"))
                && email.equals(json(record).path("email").asText())
                && json(record).path("commandId").asText().startsWith("webhook-c-1-")));
        assertEquals("SUPPRESSED", complained.get("outcome").asText());
        assertEquals("webhook", complained.get("source").asText());
    }
}
