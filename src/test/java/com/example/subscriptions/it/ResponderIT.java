package com.example.subscriptions.it;

import static com.example.subscriptions.it.KafkaProbe.bytes;
import static com.example.subscriptions.it.KafkaProbe.header;
import static com.example.subscriptions.it.KafkaProbe.json;
import static com.example.subscriptions.it.KafkaProbe.jsonField;
import static com.example.subscriptions.it.KafkaProbe.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.kafka.DeadLetters;
import com.example.subscriptions.status.DetailsRequestParser;
import com.example.subscriptions.workflow.EmailDetails;
import com.example.subscriptions.workflow.SubscriptionInput;
import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The responder against a real broker and Temporal service, called as Spring, plain clients and kcat call it. */
class ResponderIT {

    private static ServiceFixture fixture;
    private static KafkaProbe kafka;
    private static WorkflowClient temporal;
    private static String requests;
    private static String replies;
    private static String customReplies;
    private static String deadLetters;

    @BeforeAll
    static void startService() {
        fixture = new ServiceFixture();
        fixture.start(Map.of("details.query-timeout", "PT1S"), (details, delivery) -> {});
        requests = fixture.topic("details-requests");
        replies = fixture.topic("details-replies");
        deadLetters = fixture.topic("details-requests-dlt");
        // Any name works; this one tells KafkaProbe to hold its records to the contract of replies.
        customReplies = "subscription-details-replies-custom-" + fixture.suffix;
        com.example.subscriptions.devstack.TestKafka.createTopics(Map.of(customReplies, 3));
        kafka = new KafkaProbe(replies, customReplies, deadLetters);
        temporal = fixture.client();
    }

    @AfterAll
    static void stopService() {
        kafka.close();
        fixture.close();
    }

    private static String newEmail() {
        return "user-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static void subscribe(String email) {
        WorkflowClient.start(
                temporal.newWorkflowStub(
                        com.example.subscriptions.workflow.SendEmailWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setWorkflowId(email)
                                .setTaskQueue(fixture.taskQueue)
                                .build())::run,
                new SubscriptionInput(email, null, null, null));
    }

    private static JsonNode ask(String email) {
        String requestId = UUID.randomUUID().toString();
        kafka.send(requests, email, "{\"email\":\"" + email + "\",\"requestId\":\"" + requestId + "\"}");
        return json(kafka.await(jsonField(replies, "requestId", requestId)));
    }

    @Test
    void runningSubscriptionAnswersItsDetailsWithTheTutorialsFieldNames() {
        String email = newEmail();
        subscribe(email);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> temporal.newWorkflowStub(com.example.subscriptions.workflow.SendEmailWorkflow.class, email)
                                .details()
                                .count()
                        == 1);

        JsonNode reply = ask(email);

        assertEquals(email, reply.get("email").asText());
        assertEquals(EmailDetails.WELCOME, reply.get("message").asText());
        assertTrue(reply.get("subscribed").asBoolean());
        assertEquals(1, reply.get("numberOfEmailsSent").asInt());
        assertEquals("RUNNING", reply.get("status").asText());
    }

    @Test
    void cancelledSubscriptionStillAnswersWithItsLastDetails() {
        String email = newEmail();
        subscribe(email);
        temporal.newUntypedWorkflowStub(email).cancel();
        try {
            temporal.newUntypedWorkflowStub(email).getResult(Void.class);
        } catch (WorkflowFailedException expected) {
            // cancelled
        }

        JsonNode reply = ask(email);

        assertEquals("CANCELED", reply.get("status").asText());
        assertEquals(EmailDetails.GOODBYE, reply.get("message").asText());
        assertFalse(reply.get("subscribed").asBoolean());
    }

    @Test
    void unknownSubscriptionAnswersNotFound() {
        String email = newEmail();

        JsonNode reply = ask(email);

        assertEquals("NOT_FOUND", reply.get("status").asText());
        assertTrue(reply.get("message").isNull());
        assertFalse(reply.get("subscribed").asBoolean());
        assertEquals(0, reply.get("numberOfEmailsSent").asInt());
        assertEquals(email, reply.get("email").asText());
    }

    @Test
    void binaryCorrelationIdAndReplyTopicHeaderRoundTripAsReplyingKafkaTemplateSendsThem() {
        String email = newEmail();
        UUID uuid = UUID.randomUUID();
        byte[] correlation = ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
        RecordHeaders headers = new RecordHeaders();
        headers.add(DetailsRequestParser.CORRELATION_ID, correlation);
        headers.add(DetailsRequestParser.REPLY_TOPIC, bytes(customReplies));
        kafka.send(new ProducerRecord<>(requests, null, bytes(email), bytes("{\"email\":\"" + email + "\"}"), headers));

        ConsumerRecord<byte[], byte[]> reply = kafka.await(r -> r.topic().equals(customReplies)
                && r.headers().lastHeader(DetailsRequestParser.CORRELATION_ID) != null
                && Arrays.equals(
                        correlation,
                        r.headers()
                                .lastHeader(DetailsRequestParser.CORRELATION_ID)
                                .value()));

        assertEquals(email, text(reply.key()));
        assertEquals("NOT_FOUND", json(reply).get("status").asText());
    }

    @Test
    void stringCorrelationIdComesBackOnTheRequestedPartition() {
        String email = newEmail();
        String correlation = "corr-" + UUID.randomUUID();
        RecordHeaders headers = new RecordHeaders();
        headers.add(DetailsRequestParser.CORRELATION_ID, bytes(correlation));
        headers.add(DetailsRequestParser.REPLY_TOPIC, bytes(customReplies));
        headers.add(
                DetailsRequestParser.REPLY_PARTITION,
                ByteBuffer.allocate(4).putInt(2).array());
        kafka.send(new ProducerRecord<>(requests, null, bytes(email), bytes("{\"email\":\"" + email + "\"}"), headers));

        ConsumerRecord<byte[], byte[]> reply = kafka.await(r ->
                r.topic().equals(customReplies) && correlation.equals(header(r, DetailsRequestParser.CORRELATION_ID)));

        assertEquals(2, reply.partition());
        assertArrayEquals(
                bytes(correlation),
                reply.headers().lastHeader(DetailsRequestParser.CORRELATION_ID).value());
    }

    @Test
    void replyToFieldInTheBodyChoosesTheReplyTopic() {
        String email = newEmail();
        String requestId = UUID.randomUUID().toString();
        kafka.send(
                requests,
                email,
                "{\"email\":\"" + email + "\",\"requestId\":\"" + requestId + "\",\"replyTo\":\"" + customReplies
                        + "\"}");

        ConsumerRecord<byte[], byte[]> reply = kafka.await(jsonField(customReplies, "requestId", requestId));

        assertEquals("NOT_FOUND", json(reply).get("status").asText());
    }

    @Test
    void invalidRequestWithACorrelationIdIsAnsweredInvalidRequest() {
        String correlation = "bad-" + UUID.randomUUID();
        RecordHeaders headers = new RecordHeaders();
        headers.add(DetailsRequestParser.CORRELATION_ID, bytes(correlation));
        kafka.send(new ProducerRecord<>(requests, null, (byte[]) null, bytes("{\"email\":\"not an email\"}"), headers));

        ConsumerRecord<byte[], byte[]> reply = kafka.await(
                r -> r.topic().equals(replies) && correlation.equals(header(r, DetailsRequestParser.CORRELATION_ID)));

        assertEquals("INVALID_REQUEST", json(reply).get("status").asText());
        assertTrue(
                json(reply).get("error").asText().contains("invalid email"),
                json(reply).toString());
    }

    @Test
    void invalidRequestWithoutCorrelationGoesToTheDeadLetterTopic() {
        String marker = "dlt-" + UUID.randomUUID();
        kafka.send(new ProducerRecord<>(requests, null, bytes(marker), bytes("not json at all")));

        ConsumerRecord<byte[], byte[]> dead =
                kafka.await(r -> r.topic().equals(deadLetters) && marker.equals(text(r.key())));

        assertEquals("not json at all", text(dead.value()));
        assertEquals(requests, header(dead, DeadLetters.ORIGINAL_TOPIC));
        assertTrue(header(dead, DeadLetters.REASON).contains("not JSON"));
    }

    @Test
    void subscriptionWithNoWorkerAnswersUnavailableWithinTheQueryTimeout() {
        String email = newEmail();
        temporal.newUntypedWorkflowStub(
                        "SendEmailWorkflow",
                        WorkflowOptions.newBuilder()
                                .setWorkflowId(email)
                                .setTaskQueue("no-worker-polls-this-" + fixture.suffix)
                                .build())
                .start(new SubscriptionInput(email, null, null, null));
        long started = System.nanoTime();

        JsonNode reply = ask(email);

        assertEquals("UNAVAILABLE", reply.get("status").asText());
        assertTrue(reply.get("error").asText().contains("did not answer"), reply.toString());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 15);
    }

    @Test
    void requestWhoseDeadlinePassedIsDroppedWithoutReply() {
        String expiredCorrelation = "expired-" + UUID.randomUUID();
        RecordHeaders headers = new RecordHeaders();
        headers.add(DetailsRequestParser.CORRELATION_ID, bytes(expiredCorrelation));
        headers.add(DetailsRequestParser.DEADLINE, bytes(Long.toString(System.currentTimeMillis() - 1_000)));
        String email = newEmail();
        kafka.send(new ProducerRecord<>(requests, 0, bytes(email), bytes("{\"email\":\"" + email + "\"}"), headers));

        ask(email);
        JsonNode later = ask(email);

        assertEquals("NOT_FOUND", later.get("status").asText());
        assertTrue(kafka.all(r -> r.topic().equals(replies)
                        && expiredCorrelation.equals(header(r, DetailsRequestParser.CORRELATION_ID)))
                .isEmpty());
    }
}
