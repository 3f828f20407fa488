package com.example.subscriptions.faults;

import static com.example.subscriptions.it.KafkaProbe.bytes;
import static com.example.subscriptions.it.KafkaProbe.header;
import static com.example.subscriptions.it.KafkaProbe.json;
import static com.example.subscriptions.it.KafkaProbe.jsonField;
import static com.example.subscriptions.it.KafkaProbe.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.app.Service;
import com.example.subscriptions.devstack.TestKafka;
import com.example.subscriptions.it.KafkaProbe;
import com.example.subscriptions.it.ServiceFixture;
import com.example.subscriptions.kafka.DeadLetters;
import com.example.subscriptions.status.DetailsRequestParser;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Details requests whose reply cannot be delivered where they ask: each is dead-lettered with its reason at once, and
 * the requests after it are answered promptly. Before, a reply partition that does not exist blocked the responder's
 * poll thread for a minute per attempt, retried for ever, across restarts, and no request was answered again.
 */
class UnroutableReplyIT {

    /** A normal request must be answered this fast after a bad one; the stall this guards against was 60 s. */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    private static ServiceFixture fixture;
    private static KafkaProbe kafka;
    private static Service service;
    private static String requests;
    private static String replies;
    private static String deadLetters;
    private static String threePartitions;
    private static String tinyMessages;

    @BeforeAll
    static void startService() throws Exception {
        fixture = new ServiceFixture();
        requests = fixture.topic("details-requests");
        replies = fixture.topic("details-replies");
        deadLetters = fixture.topic("details-requests-dlt");
        threePartitions = "replies-3p-" + fixture.suffix;
        tinyMessages = "replies-tiny-" + fixture.suffix;
        try (Admin admin = admin()) {
            admin.createTopics(java.util.List.of(
                            new NewTopic(threePartitions, 3, (short) 1),
                            new NewTopic(tinyMessages, 1, (short) 1).configs(Map.of("max.message.bytes", "200"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            com.example.subscriptions.kafka.NewTopics.awaitWritable(
                    admin, java.util.List.of(threePartitions, tinyMessages), Duration.ofSeconds(30));
        }
        service = start();
        kafka = new KafkaProbe(replies, deadLetters, tinyMessages);
    }

    private static Service start() {
        return fixture.start(Map.of("roles", "responder"), (details, delivery) -> {});
    }

    @AfterAll
    static void stopService() {
        kafka.close();
        fixture.close();
    }

    @Test
    void aReplyPartitionThatDoesNotExistIsDeadLetteredAndLaterRequestsAreAnswered() {
        String marker = sendBadRequest(threePartitions, 7);

        ConsumerRecord<byte[], byte[]> dead = kafka.await(deadLetter(marker));
        assertTrue(
                header(dead, DeadLetters.REASON).contains("partition 7 does not exist"),
                header(dead, DeadLetters.REASON));
        assertRequestsAreAnsweredPromptly(10);
    }

    @Test
    void aNegativeReplyPartitionIsDeadLettered() {
        String marker = sendBadRequest(threePartitions, -1);

        ConsumerRecord<byte[], byte[]> dead = kafka.await(deadLetter(marker));
        assertTrue(
                header(dead, DeadLetters.REASON).contains("partition -1 does not exist"),
                header(dead, DeadLetters.REASON));
        assertRequestsAreAnsweredPromptly(5);
    }

    @Test
    void aReplyTopicThatDoesNotExistIsDeadLetteredAndNeverCreated() throws Exception {
        String missing = "no-such-replies-" + UUID.randomUUID();
        String marker = sendBadRequest(missing, null);

        ConsumerRecord<byte[], byte[]> dead = kafka.await(deadLetter(marker));
        assertTrue(
                header(dead, DeadLetters.REASON).contains("topic " + missing + " does not exist"),
                header(dead, DeadLetters.REASON));
        assertRequestsAreAnsweredPromptly(5);
        try (Admin admin = admin()) {
            Set<String> topics = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            assertFalse(topics.contains(missing), "the service created the reply topic a requester named");
        }
    }

    @Test
    void anInvalidReplyTopicNameIsDeadLettered() {
        String marker = sendBadRequest("not a topic name!", null);

        ConsumerRecord<byte[], byte[]> dead = kafka.await(deadLetter(marker));
        assertTrue(
                header(dead, DeadLetters.REASON).contains("InvalidTopicException"), header(dead, DeadLetters.REASON));
        assertRequestsAreAnsweredPromptly(5);
    }

    @Test
    void aReplyTooLargeForItsTopicIsDeadLettered() {
        String marker = sendBadRequest(tinyMessages, null);

        ConsumerRecord<byte[], byte[]> dead = kafka.await(deadLetter(marker));
        assertTrue(header(dead, DeadLetters.REASON).contains("too large"), header(dead, DeadLetters.REASON));
        assertRequestsAreAnsweredPromptly(5);
    }

    @Test
    void aBadRequestStillUncommittedWhenTheServiceRestartsDoesNotStallIt() {
        fixture.close();
        String marker = sendBadRequest(threePartitions, 9);
        service = start();

        ConsumerRecord<byte[], byte[]> dead = kafka.await(deadLetter(marker));
        assertTrue(header(dead, DeadLetters.REASON).contains("partition 9 does not exist"));
        assertRequestsAreAnsweredPromptly(10);
        assertTrue(service.ready(), "the responder made progress, so it is ready");
    }

    private static String sendBadRequest(String replyTopic, Integer replyPartition) {
        String marker = "bad-" + UUID.randomUUID();
        RecordHeaders headers = new RecordHeaders();
        headers.add(DetailsRequestParser.CORRELATION_ID, bytes(marker));
        headers.add(DetailsRequestParser.REPLY_TOPIC, bytes(replyTopic));
        if (replyPartition != null) {
            headers.add(
                    DetailsRequestParser.REPLY_PARTITION,
                    ByteBuffer.allocate(4).putInt(replyPartition).array());
        }
        kafka.send(new ProducerRecord<>(
                requests, null, bytes(marker), bytes("{\"email\":\"someone-" + marker + "@example.com\"}"), headers));
        return marker;
    }

    private static void assertRequestsAreAnsweredPromptly(int count) {
        for (int i = 0; i < count; i++) {
            String requestId = UUID.randomUUID().toString();
            String email = "user-" + requestId.substring(0, 8) + "@example.com";
            long sent = System.nanoTime();
            kafka.send(requests, email, "{\"email\":\"" + email + "\",\"requestId\":\"" + requestId + "\"}");
            ConsumerRecord<byte[], byte[]> reply = kafka.await(jsonField(replies, "requestId", requestId));
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            assertEquals("NOT_FOUND", json(reply).get("status").asText());
            assertTrue(took.compareTo(PROMPTLY) < 0, "request " + i + " took " + took);
        }
    }

    private static java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> deadLetter(String marker) {
        return r -> r.topic().equals(deadLetters) && marker.equals(text(r.key()));
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
    }
}
