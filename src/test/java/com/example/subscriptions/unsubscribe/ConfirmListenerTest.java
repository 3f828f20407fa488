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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The confirm link beside the unsubscribe link, on a real listener: what it publishes, and what it refuses. */
class ConfirmListenerTest {

    private static final UnsubscribeTokens TOKENS = UnsubscribeTokens.withSecret("0123456789abcdef0123456789abcdef");
    private static final UnsubscribeTokens OTHER_SECRET =
            UnsubscribeTokens.withSecret("fedcba9876543210fedcba9876543210");
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private MockProducer<byte[], byte[]> producer;
    private HttpListener listener;
    private URI base;

    @BeforeEach
    void start() {
        producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        UnsubscribeCommands commands =
                new UnsubscribeCommands(new KafkaPublisher(producer), "commands", Duration.ofSeconds(5));
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
                .serve(List.of(
                        UnsubscribeRoute.route(
                                TOKENS,
                                commands,
                                Duration.ofSeconds(30),
                                RateLimit.perMinute(1000),
                                UnaryOperator.identity()),
                        ConfirmRoute.route(
                                TOKENS,
                                commands,
                                Duration.ofSeconds(30),
                                RateLimit.perMinute(1000),
                                UnaryOperator.identity())));
        base = URI.create("http://localhost:" + listener.port());
    }

    @AfterEach
    void stop() {
        listener.close();
    }

    private URI confirmLink(String email) {
        return new UnsubscribeLinks(base, TOKENS).confirmLinkFor(email);
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(URI uri, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", FORM)
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPostOfTheButtonPublishesAConfirmCommandKeyedByTheEmail() throws Exception {
        HttpResponse<String> response = post(confirmLink("alice@example.com"), "confirm=yes");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(1, producer.history().size());
        assertEquals("alice@example.com", new String(producer.history().get(0).key(), StandardCharsets.UTF_8));
        JsonNode command = Json.MAPPER.readTree(producer.history().get(0).value());
        assertEquals("confirm", command.get("type").asText());
        assertEquals("alice@example.com", command.get("email").asText());
        assertTrue(command.get("commandId").asText().startsWith(UnsubscribeCommands.CONFIRM_ID_PREFIX));
    }

    @Test
    void getShowsAButtonAndChangesNothing() throws Exception {
        HttpResponse<String> page = get(confirmLink("carol@example.com"));

        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<form method=\"post\">"), page.body());
        assertTrue(page.body().contains("name=\"confirm\" value=\"yes\""), page.body());
        assertTrue(producer.history().isEmpty());
    }

    @Test
    void aForgedConfirmTokenIsRefusedAndPublishesNothing() throws Exception {
        URI forged = new UnsubscribeLinks(base, OTHER_SECRET).confirmLinkFor("mallory@example.com");

        assertEquals(403, post(forged, "confirm=yes").statusCode());
        assertEquals(403, get(forged).statusCode());
        assertTrue(producer.history().isEmpty());
    }

    @Test
    void anUnsubscribeTokenCannotConfirm() throws Exception {
        String unsubscribeToken = TOKENS.issue("alice@example.com");
        URI crossed = URI.create(base + UnsubscribeLinks.CONFIRM_PATH + "?token=" + unsubscribeToken);

        assertEquals(400, post(crossed, "confirm=yes").statusCode());
        assertTrue(producer.history().isEmpty());
    }

    @Test
    void aConfirmTokenCannotUnsubscribe() throws Exception {
        String confirmToken = TOKENS.issue(UnsubscribeTokens.Purpose.CONFIRM, "alice@example.com");
        URI crossed = URI.create(base + UnsubscribeLinks.PATH + "?token=" + confirmToken);

        assertEquals(400, post(crossed, "List-Unsubscribe=One-Click").statusCode());
        assertTrue(producer.history().isEmpty());
    }

    @Test
    void aConfirmTokenWithItsPrefixEditedToAnUnsubscribeOneIsForged() throws Exception {
        String confirmToken = TOKENS.issue(UnsubscribeTokens.Purpose.CONFIRM, "alice@example.com");
        URI edited = URI.create(base + UnsubscribeLinks.PATH + "?token=v1" + confirmToken.substring(2));

        assertEquals(403, post(edited, "List-Unsubscribe=One-Click").statusCode());
        assertTrue(producer.history().isEmpty());
    }

    @Test
    void aPostWithoutTheButtonsFieldIsRefused() throws Exception {
        assertEquals(400, post(confirmLink("alice@example.com"), "").statusCode());
        assertTrue(producer.history().isEmpty());
    }
}
