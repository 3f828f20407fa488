package com.example.subscriptions.privacy;

import static com.example.subscriptions.it.KafkaProbe.json;
import static com.example.subscriptions.it.KafkaProbe.jsonField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.core.SubscriberIds;
import com.example.subscriptions.devstack.TcpProxy;
import com.example.subscriptions.devstack.TestTemporal;
import com.example.subscriptions.it.KafkaProbe;
import com.example.subscriptions.it.RefusingSmtpServer;
import com.example.subscriptions.it.ServiceFixture;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Privacy mode as an attacker with a copy of the traffic to Temporal sees it: every byte between the service and
 * Temporal goes through a recording proxy while subscribers subscribe, ask for their details, get emails, are refused
 * by their mail server (which names them in its reply), unsubscribe and are erased, across a restart that adds a
 * payload key.
 * Nothing recorded names a subscriber, in any case or encoding; runs recorded under the old key are read under the new.
 */
class PrivacyModeIT {

    private static final String OLD_KEY = "k2026a:" + key(1);
    private static final String NEW_KEY = "k2026b:" + key(2);
    private static final byte[] ID_KEY = new byte[32];
    private static final String CODEC_TOKEN = "privacy-it-codec-token-0123456789abcdef";

    static {
        Arrays.fill(ID_KEY, (byte) 9);
    }

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String alice = "priv-alice-" + suffix + "@example.com";
    private final String bob = "priv-bob-" + suffix + "@example.com";
    private final String carol = "priv-carol-" + suffix + "@example.com";
    private final SubscriberIds ids = SubscriberIds.keyed(ID_KEY);

    private TcpProxy proxy;
    private ServiceFixture fixture;
    private KafkaProbe kafka;
    private GreenMail smtp;
    private Service service;

    private static String key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return Base64.getEncoder().encodeToString(key);
    }

    @BeforeEach
    void start() {
        proxy = TcpProxy.recording(TestTemporal.address());
        fixture = new ServiceFixture();
        kafka = new KafkaProbe(fixture.topic("events"), fixture.topic("details-replies"));
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        smtp.stop();
        kafka.close();
        fixture.close();
        proxy.close();
    }

    private Map<String, String> settings(String keys, int smtpPort) {
        Map<String, String> settings = new HashMap<>();
        settings.put("roles", "worker,commands,responder");
        settings.put("temporal.address", proxy.address());
        settings.put("subscription.interval", "PT2S");
        settings.put("mail.sender", "smtp");
        settings.put("mail.host", "127.0.0.1");
        settings.put("mail.port", Integer.toString(smtpPort));
        settings.put("mail.tls", "off");
        settings.put("mail.from", "news@example.com");
        settings.put("unsubscribe.secret", "privacy-it-secret-0123456789abcdef");
        settings.put("privacy.enabled", "true");
        settings.put("privacy.keys", keys);
        settings.put("privacy.id-key", Base64.getEncoder().encodeToString(ID_KEY));
        return settings;
    }

    private JsonNode command(String email, String type) {
        String commandId = "it-" + UUID.randomUUID();
        kafka.send(
                fixture.topic("commands"),
                email,
                "{\"email\":\"" + email + "\",\"commandId\":\"" + commandId + "\",\"type\":\"" + type + "\"}");
        return json(kafka.await(jsonField(fixture.topic("events"), "commandId", commandId)));
    }

    private JsonNode details(String email) {
        String requestId = UUID.randomUUID().toString();
        kafka.send(
                fixture.topic("details-requests"),
                email,
                "{\"email\":\"" + email + "\",\"requestId\":\"" + requestId + "\"}");
        return json(kafka.await(jsonField(fixture.topic("details-replies"), "requestId", requestId)));
    }

    private long emailsTo(String email) {
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(message -> recipient(message).equals(email))
                .count();
    }

    private static String recipient(Message message) {
        try {
            return ((InternetAddress) message.getAllRecipients()[0]).getAddress();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void eventually(java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(condition);
    }

    @Test
    void noAddressCrossesTheWireToTemporalAndOldRunsSurviveAKeyRotation() throws Exception {
        // Under the first key: two subscribers, their emails, a details request, an unsubscribe with its goodbye.
        service =
                Service.start(fixture.settings(settings(OLD_KEY, smtp.getSmtp().getPort())));
        assertEquals("SUBSCRIBED", command(alice, "subscribe").get("outcome").asText());
        assertEquals("SUBSCRIBED", command(bob, "subscribe").get("outcome").asText());
        eventually(() -> emailsTo(alice) >= 2 && emailsTo(bob) >= 1);
        JsonNode aliceDetails = details(alice);
        assertEquals("RUNNING", aliceDetails.get("status").asText());
        assertEquals(alice, aliceDetails.get("email").asText());
        assertEquals(
                "UNSUBSCRIBE_REQUESTED",
                command(bob, "unsubscribe").get("outcome").asText());
        eventually(() -> details(bob).get("status").asText().equals("CANCELED"));
        service.close();

        // A new primary key, the old one kept, and a mail server that refuses, naming the address in its reply. The
        // closed run of bob, recorded under the old key, is replayed by the new worker to answer its details.
        try (RefusingSmtpServer refusing = new RefusingSmtpServer(
                RefusingSmtpServer.Phase.RCPT_TO, "550 5.1.1 <" + carol + ">: Recipient address rejected")) {
            Map<String, String> withCodecServer = settings(NEW_KEY + "," + OLD_KEY, refusing.port());
            withCodecServer.put("codec-server.port", "0");
            withCodecServer.put("codec-server.token", CODEC_TOKEN);
            service = Service.start(fixture.settings(withCodecServer));
            assertTrue(codecServerDecodes(alice), "the codec server did not decode alice's input");
            // Polled: the SDK's test server may route the first query to the stopped worker's sticky queue.
            eventually(() -> details(bob).get("status").asText().equals("CANCELED"));
            JsonNode afterRotation = details(bob);
            assertEquals(bob, afterRotation.get("email").asText());
            assertEquals(
                    "NOT_SUBSCRIBED", command(bob, "unsubscribe").get("outcome").asText());

            assertEquals(
                    "SUBSCRIBED", command(carol, "subscribe").get("outcome").asText());
            eventually(() -> details(carol).get("status").asText().equals("COMPLETED"));
            JsonNode refused = details(carol);
            assertTrue(refused.get("message").asText().contains(carol), refused.toString());

            // An erase: terminate, list and delete calls name the subscriber by its pseudonym only.
            assertEquals("ERASED", command(alice, "erase").get("outcome").asText());
            assertEquals("ERASED", command(bob, "erase").get("outcome").asText());
            service.close();
            service = null;
        }

        assertPayloadsInTemporalAreEncrypted(alice);
        assertNothingRecordedNames(List.of(alice, bob, carol));
    }

    /** An operator's view: the input of the subscriber's first run, as Temporal holds it, through the codec server. */
    private boolean codecServerDecodes(String email) throws Exception {
        HistoryEvent started = fixture.client()
                .streamHistory(ids.workflowId(new EmailAddress(email)))
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)
                .findFirst()
                .orElseThrow();
        String encrypted = com.google.protobuf.util.JsonFormat.printer()
                .print(started.getWorkflowExecutionStartedEventAttributes().getInput());
        java.net.http.HttpResponse<String> decoded = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                        "http://127.0.0.1:" + service.codecServerPort() + "/decode"))
                                .header("Authorization", "Bearer " + CODEC_TOKEN)
                                .header("Content-Type", "application/json")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(encrypted))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, decoded.statusCode(), decoded.body());
        assertTrue(!encrypted.contains(Base64.getEncoder().encodeToString(email.getBytes(StandardCharsets.UTF_8))));
        return decoded.body()
                        .contains(Base64.getEncoder().encodeToString("json/plain".getBytes(StandardCharsets.UTF_8)))
                && new String(
                                Base64.getDecoder()
                                        .decode(com.example.subscriptions.core.Json.MAPPER
                                                .readTree(decoded.body())
                                                .get("payloads")
                                                .get(0)
                                                .get("data")
                                                .asText()),
                                StandardCharsets.UTF_8)
                        .contains(email);
    }

    private void assertPayloadsInTemporalAreEncrypted(String email) {
        WorkflowClient plain = fixture.client();
        String workflowId = ids.workflowId(new EmailAddress(email));
        List<HistoryEvent> started = plain.streamHistory(workflowId)
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)
                .toList();
        assertEquals(1, started.size());
        var attributes = started.get(0).getWorkflowExecutionStartedEventAttributes();
        assertTrue(AesGcmPayloadCodec.isEncrypted(attributes.getInput().getPayloads(0)));
        attributes
                .getMemo()
                .getFieldsMap()
                .values()
                .forEach(value -> assertTrue(AesGcmPayloadCodec.isEncrypted(value)));
    }

    private void assertNothingRecordedNames(List<String> emails) {
        List<String> haystacks = new ArrayList<>();
        for (TcpProxy.Recording connection : proxy.recordings()) {
            for (byte[] direction : List.of(connection.upBytes(), connection.downBytes())) {
                Http2Tape tape = Http2Tape.read(direction);
                haystacks.add(text(tape.raw()));
                tape.messages().forEach(message -> haystacks.add(text(message)));
                haystacks.addAll(tape.headers());
            }
        }
        String everything = String.join("\n", haystacks);
        // The recording is readable: the pseudonymous ids and the task queue are there in clear.
        assertTrue(everything.contains(ids.workflowId(new EmailAddress(alice))), "alice's workflow id not recorded");
        assertTrue(everything.contains(fixture.taskQueue.toLowerCase(Locale.ROOT)), "the task queue not recorded");
        assertTrue(everything.length() > 100_000, "only " + everything.length() + " characters recorded");
        for (String email : emails) {
            for (String form : forms(email)) {
                assertTrue(
                        !everything.contains(form.toLowerCase(Locale.ROOT)),
                        "the traffic to Temporal names " + email + " as '" + form + "'");
            }
        }
    }

    /** Lower-cased ISO-8859-1 text of the bytes: every byte one character, so any ASCII run shows as itself. */
    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    /**
     * What to look for: the local part (which covers the plain and URL-encoded address in any case), and the
     * address and local part in base64 (standard and URL alphabets) at each of the three alignments, in lower and
     * upper case.
     */
    static Set<String> forms(String email) {
        Set<String> forms = new LinkedHashSet<>();
        String local = email.substring(0, email.indexOf('@'));
        forms.add(local);
        forms.add(email.replace("@", "%40"));
        for (String text : List.of(email, local, email.toUpperCase(Locale.ROOT), local.toUpperCase(Locale.ROOT))) {
            for (int shift = 0; shift < 3; shift++) {
                forms.add(base64Core(Base64.getEncoder(), text, shift));
                forms.add(base64Core(Base64.getUrlEncoder(), text, shift));
            }
        }
        return forms;
    }

    /** The base64 characters that depend only on {@code text}'s bytes when {@code shift} bytes precede it. */
    private static String base64Core(Base64.Encoder encoder, String text, int shift) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] shifted = new byte[shift + bytes.length];
        System.arraycopy(bytes, 0, shifted, shift, bytes.length);
        String encoded = encoder.withoutPadding().encodeToString(shifted);
        int first = (8 * shift + 5) / 6;
        int last = (8 * (shift + bytes.length)) / 6;
        return encoded.substring(first, last);
    }
}
