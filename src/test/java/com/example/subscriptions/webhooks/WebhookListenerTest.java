package com.example.subscriptions.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.core.Json;
import com.example.subscriptions.http.ClientAddresses;
import com.example.subscriptions.http.HttpListener;
import com.example.subscriptions.http.HttpObserver;
import com.example.subscriptions.http.ListenerLimits;
import com.example.subscriptions.http.RateLimit;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Both webhooks on a real listener and port, publishing to Kafka's MockProducer: what each request answers, what it
 * publishes, and the outcome it is counted under. A refused request publishes nothing.
 */
class WebhookListenerTest {

    private static final String SECRET = "generic-webhook-secret-0123456789abcdef";
    private static final String CERT_URL = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem";
    private static final String SUBSCRIBE_URL =
            "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=2336412f37";
    private static final TestCertificate CERTIFICATE = TestCertificate.create();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final SnsTestMessages sns = new SnsTestMessages(CERTIFICATE, CERT_URL);
    private final List<URI> fetched = new CopyOnWriteArrayList<>();
    private final List<String> answered = new CopyOnWriteArrayList<>();
    private MockProducer<byte[], byte[]> producer;
    private HttpListener listener;

    private void start(boolean kafkaAnswers) {
        producer = new MockProducer<>(kafkaAnswers, null, new ByteArraySerializer(), new ByteArraySerializer());
        UrlFetcher fetcher = url -> {
            fetched.add(url);
            return CompletableFuture.completedFuture(
                    url.toString().equals(CERT_URL) ? CERTIFICATE.pem() : "<ConfirmSubscriptionResponse/>".getBytes());
        };
        ReportCommands commands = new ReportCommands(
                new KafkaPublisher(producer),
                "commands",
                kafkaAnswers ? Duration.ofSeconds(5) : Duration.ofMillis(200));
        HttpObserver observer = new HttpObserver() {
            @Override
            public void answered(String route, int status, String outcome) {
                answered.add(route + " " + status + " " + outcome);
            }

            @Override
            public void connectionRejected() {}

            @Override
            public void timedOut(Timeout timeout) {}
        };
        listener = HttpListener.bind(
                        new ListenerLimits(
                                "unsubscribe",
                                Optional.of("127.0.0.1"),
                                0,
                                Duration.ofSeconds(10),
                                Duration.ofSeconds(10),
                                Duration.ofSeconds(30),
                                64,
                                8,
                                ListenerLimits.DEFAULT_MAX_HEADER_BYTES),
                        ClientAddresses.direct(),
                        observer)
                .serve(List.of(
                        SesWebhookRoute.route(
                                List.of(SnsTestMessages.TOPIC),
                                new SnsEndpoints(SnsHosts.AMAZON, fetcher),
                                commands,
                                RateLimit.perMinute(1000)),
                        GenericWebhookRoute.route(
                                List.of(SECRET),
                                Duration.ofMinutes(5),
                                Clock.systemUTC(),
                                commands,
                                RateLimit.perMinute(1000))));
    }

    @AfterEach
    void stop() {
        listener.close();
    }

    private HttpResponse<String> post(String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.port() + path))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> ses(ObjectNode message) throws Exception {
        return post(
                SesWebhookRoute.PATH,
                Map.of(
                        "Content-Type",
                        "text/plain; charset=UTF-8",
                        "x-amz-sns-message-type",
                        message.get("Type").asText()),
                message.toString());
    }

    private HttpResponse<String> generic(String body, String secret) throws Exception {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        return post(
                GenericWebhookRoute.PATH,
                Map.of(
                        "Content-Type",
                        "application/json",
                        WebhookSignatures.TIMESTAMP_HEADER,
                        timestamp,
                        WebhookSignatures.SIGNATURE_HEADER,
                        WebhookSignatures.signatureHeader(secret, timestamp, body.getBytes(StandardCharsets.UTF_8))),
                body);
    }

    private JsonNode published(int index) throws Exception {
        return Json.MAPPER.readTree(producer.history().get(index).value());
    }

    @Test
    void aSignedPermanentBounceFromSesPublishesABounceCommandKeyedByTheEmail() throws Exception {
        start(true);
        ObjectNode message = sns.notification(
                SnsTestMessages.permanentBounce(Map.of("Bob@Example.com", "smtp; 550 5.1.1 user unknown")), "1");

        HttpResponse<String> response = ses(message);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(1, producer.history().size());
        ProducerRecord<byte[], byte[]> record = producer.history().get(0);
        assertEquals("commands", record.topic());
        assertEquals("bob@example.com", new String(record.key(), StandardCharsets.UTF_8));
        JsonNode command = published(0);
        assertEquals("bounce", command.get("type").asText());
        assertEquals("ses", command.get("source").asText());
        assertEquals("smtp; 550 5.1.1 user unknown", command.get("diagnostic").asText());
        assertTrue(
                command.get("commandId")
                        .asText()
                        .startsWith("ses-" + message.get("MessageId").asText() + "-"),
                command.toString());

        assertEquals(200, ses(message).statusCode(), "SNS delivers a message again");
        assertEquals(command.get("commandId"), published(1).get("commandId"), "with the same command id");
        assertEquals(List.of(URI.create(CERT_URL)), fetched, "the certificate fetched once");
        assertTrue(answered.contains("ses-webhook 200 published"), answered.toString());
    }

    @Test
    void aSignedComplaintPublishesAComplaintAndATransientBounceNothing() throws Exception {
        start(true);
        assertEquals(
                200,
                ses(sns.notification(SnsTestMessages.complaint("dave@example.com"), "2"))
                        .statusCode());
        assertEquals("complaint", published(0).get("type").asText());

        HttpResponse<String> transientBounce = ses(sns.notification(
                SnsTestMessages.bounce("Transient", Map.of("erin@example.com", "452 4.2.2 mailbox full")), "2"));
        assertEquals(200, transientBounce.statusCode());
        assertEquals(1, producer.history().size());
        assertTrue(answered.contains("ses-webhook 200 ignored"), answered.toString());
    }

    @Test
    void aSubscriptionConfirmationIsConfirmedAtItsSubscribeUrlAndOneToAnotherHostIsNot() throws Exception {
        start(true);
        assertEquals(200, ses(sns.subscriptionConfirmation(SUBSCRIBE_URL)).statusCode());
        assertEquals(List.of(URI.create(CERT_URL), URI.create(SUBSCRIBE_URL)), fetched);

        HttpResponse<String> elsewhere = ses(sns.subscriptionConfirmation("https://attacker.example/?Action=x"));
        assertEquals(403, elsewhere.statusCode());
        assertEquals(2, fetched.size(), "nothing fetched from another host");
        assertEquals(0, producer.history().size());
    }

    @Test
    void forgedWrongTopicMalformedAndWronglyTypedSesRequestsAre4xxAndPublishNothing() throws Exception {
        start(true);
        String bounce = SnsTestMessages.permanentBounce(Map.of("bob@example.com", "550"));
        ObjectNode forged = sns.notification(bounce, "2");
        forged.put("Message", SnsTestMessages.permanentBounce(Map.of("victim@example.com", "550")));
        ObjectNode otherTopic = sns.notification(bounce, "2");
        otherTopic.put("TopicArn", "arn:aws:sns:eu-west-1:999999999999:someone-elses");
        sns.sign(otherTopic);
        ObjectNode httpCertificate = sns.notification(bounce, "2");
        httpCertificate.put("SigningCertURL", "http://sns.eu-west-1.amazonaws.com/cert.pem");
        sns.sign(httpCertificate);

        assertEquals(403, ses(forged).statusCode());
        assertEquals(403, ses(otherTopic).statusCode());
        assertEquals(403, ses(httpCertificate).statusCode());
        assertEquals(
                400,
                post(SesWebhookRoute.PATH, Map.of("Content-Type", "text/plain"), "{not json")
                        .statusCode());
        assertEquals(
                400,
                post(SesWebhookRoute.PATH, Map.of("Content-Type", "text/plain"), "{}")
                        .statusCode());
        assertEquals(
                415,
                post(SesWebhookRoute.PATH, Map.of("Content-Type", "application/x-www-form-urlencoded"), "a=b")
                        .statusCode());
        assertEquals(
                400,
                post(
                                SesWebhookRoute.PATH,
                                Map.of("Content-Type", "text/plain", "x-amz-sns-message-type", "Notification"),
                                sns.subscriptionConfirmation(SUBSCRIBE_URL).toString())
                        .statusCode(),
                "the header and the body disagree");
        assertEquals(
                413,
                post(
                                SesWebhookRoute.PATH,
                                Map.of("Content-Type", "text/plain"),
                                "x".repeat(SesWebhookRoute.MAX_BODY_BYTES + 1))
                        .statusCode());

        assertEquals(0, producer.history().size());
        assertEquals(List.of(URI.create(CERT_URL)), fetched, "the wrong topic and the http URL fetched nothing");
        assertTrue(answered.contains("ses-webhook 403 bad_signature"), answered.toString());
        assertTrue(answered.contains("ses-webhook 403 wrong_topic"), answered.toString());
        assertTrue(answered.contains("ses-webhook 403 certificate_url_not_sns"), answered.toString());
    }

    @Test
    void whenKafkaDoesNotAcknowledgeBothWebhooksAnswer503SoTheProviderRetries() throws Exception {
        start(false);
        HttpResponse<String> fromSes =
                ses(sns.notification(SnsTestMessages.permanentBounce(Map.of("bob@example.com", "550")), "2"));
        HttpResponse<String> fromGeneric = generic("{\"type\":\"bounce\",\"email\":\"bob@example.com\"}", SECRET);

        assertEquals(503, fromSes.statusCode());
        assertEquals(503, fromGeneric.statusCode());
        assertEquals("60", fromSes.headers().firstValue("Retry-After").orElseThrow());
    }

    @Test
    void aSignedGenericReportListPublishesACommandEach() throws Exception {
        start(true);
        HttpResponse<String> response = generic(
                "[{\"type\":\"bounce\",\"email\":\"a@example.com\",\"diagnostic\":\"550 5.1.1\",\"id\":\"e1\"},"
                        + "{\"type\":\"complaint\",\"email\":\"b@example.com\",\"id\":\"e2\"}]",
                SECRET);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(2, producer.history().size());
        assertEquals("bounce", published(0).get("type").asText());
        assertEquals("webhook", published(0).get("source").asText());
        assertEquals("complaint", published(1).get("type").asText());
        assertEquals("b@example.com", new String(producer.history().get(1).key(), StandardCharsets.UTF_8));
    }

    @Test
    void unsignedForgedStaleMalformedAndNonJsonGenericRequestsAre4xxAndPublishNothing() throws Exception {
        start(true);
        String body = "{\"type\":\"bounce\",\"email\":\"bob@example.com\"}";
        String stale = Long.toString(System.currentTimeMillis() / 1000 - 3600);

        assertEquals(
                401,
                post(GenericWebhookRoute.PATH, Map.of("Content-Type", "application/json"), body)
                        .statusCode());
        assertEquals(403, generic(body, "someone-elses-secret-0123456789abcdef").statusCode());
        assertEquals(
                403,
                post(
                                GenericWebhookRoute.PATH,
                                Map.of(
                                        "Content-Type",
                                        "application/json",
                                        WebhookSignatures.TIMESTAMP_HEADER,
                                        stale,
                                        WebhookSignatures.SIGNATURE_HEADER,
                                        WebhookSignatures.signatureHeader(
                                                SECRET, stale, body.getBytes(StandardCharsets.UTF_8))),
                                body)
                        .statusCode());
        assertEquals(400, generic("{\"type\":\"bounce\"}", SECRET).statusCode());
        assertEquals(400, generic("{\"type\":", SECRET).statusCode());
        assertEquals(
                415,
                post(GenericWebhookRoute.PATH, Map.of("Content-Type", "text/plain"), body)
                        .statusCode());

        assertEquals(0, producer.history().size());
        assertTrue(answered.contains("generic-webhook 401 unsigned"), answered.toString());
        assertTrue(answered.contains("generic-webhook 403 bad_signature"), answered.toString());
        assertTrue(answered.contains("generic-webhook 403 stale"), answered.toString());
        assertTrue(answered.contains("generic-webhook 400 malformed"), answered.toString());
    }
}
