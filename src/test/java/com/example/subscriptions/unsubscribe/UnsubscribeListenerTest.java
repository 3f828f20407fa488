package com.example.subscriptions.unsubscribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.core.Json;
import com.example.subscriptions.http.ClientAddresses;
import com.example.subscriptions.http.HttpListener;
import com.example.subscriptions.http.HttpObserver;
import com.example.subscriptions.http.ListenerLimits;
import com.example.subscriptions.http.RateLimit;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.example.subscriptions.mail.UnsubscribeLinks;
import com.example.subscriptions.mail.UnsubscribeTokens;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The unsubscribe route on a real listener and port, publishing to Kafka's MockProducer: what each request answers
 * and publishes.
 */
class UnsubscribeListenerTest {

    private static final UnsubscribeTokens TOKENS = UnsubscribeTokens.withSecret("0123456789abcdef0123456789abcdef");
    private static final String ONE_CLICK = "List-Unsubscribe=One-Click";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private MockProducer<byte[], byte[]> producer;
    private HttpListener listener;

    private void start(boolean kafkaAnswers, Duration timeout) {
        producer = new MockProducer<>(kafkaAnswers, null, new ByteArraySerializer(), new ByteArraySerializer());
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
                        HttpObserver.NONE)
                .serve(List.of(UnsubscribeRoute.route(
                        TOKENS,
                        new UnsubscribeCommands(new KafkaPublisher(producer), "commands", timeout),
                        Duration.ofSeconds(30),
                        RateLimit.perMinute(1000),
                        UnaryOperator.identity())));
    }

    @AfterEach
    void stop() {
        listener.close();
    }

    private URI link(String email) {
        return new UnsubscribeLinks(URI.create("http://localhost:" + listener.port()), TOKENS).linkFor(email);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(URI uri, String contentType, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    @Test
    void aOneClickPostPublishesAnUnsubscribeCommandKeyedByTheEmail() throws Exception {
        start(true, Duration.ofSeconds(5));

        HttpResponse<String> response = post(link("alice@example.com"), "application/x-www-form-urlencoded", ONE_CLICK);

        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("alice@example.com"), response.body());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals(1, producer.history().size());
        ProducerRecord<byte[], byte[]> record = producer.history().get(0);
        assertEquals("commands", record.topic());
        assertEquals("alice@example.com", new String(record.key(), StandardCharsets.UTF_8));
        JsonNode command = Json.MAPPER.readTree(record.value());
        assertEquals("unsubscribe", command.get("type").asText());
        assertEquals("alice@example.com", command.get("email").asText());
        assertTrue(command.get("commandId").asText().matches("unsubscribe-link-[0-9a-f-]{36}"), command.toString());
    }

    @Test
    void aSecondClickWithinTheWindowAndAMultipartBodyAreAnsweredTheSameWayAndPublishOnce() throws Exception {
        start(true, Duration.ofSeconds(5));
        String multipart = "--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n"
                + "--XyZ--\r\n";

        assertEquals(
                200,
                post(link("bob@example.com"), "application/x-www-form-urlencoded", ONE_CLICK)
                        .statusCode());
        assertEquals(
                200,
                post(link("bob@example.com"), "multipart/form-data; boundary=XyZ", multipart)
                        .statusCode());

        assertEquals(1, producer.history().size());
    }

    @Test
    void getShowsAButtonThatPostsAndChangesNothing() throws Exception {
        start(true, Duration.ofSeconds(5));

        HttpResponse<String> page =
                send(HttpRequest.newBuilder(link("carol@example.com")).GET());
        HttpResponse<String> head = send(
                HttpRequest.newBuilder(link("carol@example.com")).method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<form method=\"post\">"), page.body());
        assertTrue(page.body().contains("name=\"List-Unsubscribe\" value=\"One-Click\""), page.body());
        assertTrue(page.body().contains("carol@example.com"), page.body());
        assertEquals(200, head.statusCode());
        assertTrue(producer.history().isEmpty());
    }

    @Test
    void forgedTruncatedOrMissingTokensAndNonOneClickPostsAreRefusedAndPublishNothing() throws Exception {
        start(true, Duration.ofSeconds(5));
        String good = link("dave@example.com").toString();
        String forged = UnsubscribeTokens.withSecret("someone-elses-secret-someone-elses")
                .issue("dave@example.com");
        String base = "http://localhost:" + listener.port() + UnsubscribeLinks.PATH;

        assertEquals(
                403,
                post(URI.create(base + "?token=" + forged), "application/x-www-form-urlencoded", ONE_CLICK)
                        .statusCode());
        assertEquals(
                400,
                post(URI.create(good.substring(0, good.length() - 5)), "application/x-www-form-urlencoded", ONE_CLICK)
                        .statusCode());
        assertEquals(
                400,
                post(URI.create(base), "application/x-www-form-urlencoded", ONE_CLICK)
                        .statusCode());
        assertEquals(
                403,
                send(HttpRequest.newBuilder(URI.create(base + "?token=" + forged))
                                .GET())
                        .statusCode());
        assertEquals(
                400,
                post(URI.create(good), "application/x-www-form-urlencoded", "unsubscribe=yes")
                        .statusCode());
        assertEquals(
                400,
                post(URI.create(good), "application/x-www-form-urlencoded", "").statusCode());

        assertTrue(producer.history().isEmpty());
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        start(true, Duration.ofSeconds(5));

        assertEquals(
                404,
                send(HttpRequest.newBuilder(URI.create("http://localhost:" + listener.port() + "/health/ready"))
                                .GET())
                        .statusCode());
        HttpResponse<String> put = send(
                HttpRequest.newBuilder(link("erin@example.com")).PUT(HttpRequest.BodyPublishers.ofString(ONE_CLICK)));
        assertEquals(405, put.statusCode());
        assertEquals("GET, HEAD, POST", put.headers().firstValue("Allow").orElseThrow());
        assertTrue(producer.history().isEmpty());
    }

    @Test
    void whenKafkaDoesNotAcknowledgeInTimeTheAnswerIs503() throws Exception {
        start(false, Duration.ofMillis(200));

        HttpResponse<String> response = post(link("frank@example.com"), "application/x-www-form-urlencoded", ONE_CLICK);

        assertEquals(503, response.statusCode());
        assertTrue(response.body().contains("try again"), response.body());
        assertEquals("60", response.headers().firstValue("Retry-After").orElseThrow());
        HttpResponse<String> again = post(link("frank@example.com"), "application/x-www-form-urlencoded", ONE_CLICK);
        assertEquals(503, again.statusCode());
        assertEquals(2, producer.history().size(), "a click after a failure tries Kafka again");
    }
}
