package com.example.subscriptions.status;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.kafka.Disposition;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.example.subscriptions.kafka.TopicCatalog;
import com.example.subscriptions.kafka.Work;
import com.example.subscriptions.workflow.EmailDetails;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The responder's handler with a fake lookup and topic catalog and a mock producer: no broker, no Temporal. */
class DetailsHandlerTest {

    private static final String REQUESTS = "subscription-details-requests";
    private static final String REPLIES = "subscription-details-replies";
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final EmailDetails ALICE = new EmailDetails("alice@example.com", EmailDetails.WELCOME, 1, true);

    /** Answers every lookup with what {@link #answer} says, and remembers whom it was asked about. */
    static final class FakeLookup implements SubscriptionLookup {
        final List<String> asked = new CopyOnWriteArrayList<>();
        volatile Function<String, Lookup> answer = email -> new Lookup.Found("RUNNING", ALICE);

        @Override
        public CompletionStage<Lookup> lookup(EmailAddress email) {
            asked.add(email.value());
            return CompletableFuture.completedFuture(answer.apply(email.value()));
        }
    }

    /** Topics as a test sets them, with their partition counts; an unknown one does not exist. */
    static final class FakeTopics implements TopicCatalog {
        final Map<String, Integer> partitions = new ConcurrentHashMap<>(Map.of(REPLIES, 3));
        final List<String> calls = new CopyOnWriteArrayList<>();
        /** What happens in the cluster by the time the topic is looked up again. */
        volatile Runnable onForget = () -> {};

        @Override
        public CompletionStage<TopicFacts> describe(String topic) {
            calls.add("describe " + topic);
            Integer count = partitions.get(topic);
            return count == null
                    ? CompletableFuture.failedFuture(new UnknownTopicOrPartitionException(topic))
                    : CompletableFuture.completedFuture(new TopicFacts(topic, "id-" + topic, count));
        }

        @Override
        public void forget(Collection<String> topics) {
            calls.add("forget " + topics);
            onForget.run();
        }
    }

    /** What the responder told its observer. */
    static final class Told implements DetailsHandler.Observer {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void replied(DetailsReply reply, Duration latency) {
            events.add("replied " + reply.status());
        }

        @Override
        public void expired(ConsumerRecord<byte[], byte[]> request) {
            events.add("expired " + request.offset());
        }
    }

    private final FakeLookup lookup = new FakeLookup();
    private final FakeTopics topics = new FakeTopics();
    private final Told told = new Told();
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

    private DetailsHandler handler(MockProducer<byte[], byte[]> producer) {
        return new DetailsHandler(
                new DetailsRequestParser(REPLIES),
                lookup,
                new KafkaPublisher(producer),
                topics,
                Clock.fixed(NOW, ZoneOffset.UTC),
                told);
    }

    private Work plan(String value, Map<String, byte[]> headers) {
        return plan(producer, value, headers);
    }

    private Work plan(MockProducer<byte[], byte[]> producer, String value, Map<String, byte[]> headers) {
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>(REQUESTS, 0, 42, null, value == null ? null : bytes(value.replace('\'', '"')));
        headers.forEach((name, header) -> record.headers().add(name, header));
        return handler(producer).plan(record);
    }

    private static Map<String, byte[]> correlated() {
        return Map.of(DetailsRequestParser.CORRELATION_ID, bytes("corr-1"));
    }

    private static Disposition done(Work work) throws Exception {
        Disposition disposition = work.attempt().toCompletableFuture().get(5, TimeUnit.SECONDS);
        work.finished();
        return disposition;
    }

    private static JsonNode json(ProducerRecord<byte[], byte[]> record) throws Exception {
        return Json.MAPPER.readTree(record.value());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRequestIsAnsweredOnceWithTheDetailsOnTheDefaultReplyTopic() throws Exception {
        Disposition disposition = done(plan("{'email': ' Alice@Example.com', 'requestId': 'r1'}", correlated()));

        assertSame(Disposition.DONE, disposition);
        assertEquals(List.of("alice@example.com"), lookup.asked);
        assertEquals(1, producer.history().size());
        ProducerRecord<byte[], byte[]> reply = producer.history().get(0);
        assertEquals(REPLIES, reply.topic());
        assertArrayEquals(bytes("alice@example.com"), reply.key());
        assertArrayEquals(
                bytes("corr-1"),
                reply.headers().lastHeader(DetailsRequestParser.CORRELATION_ID).value());
        assertEquals(
                Json.MAPPER.readTree("{\"email\":\"alice@example.com\",\"message\":\"" + EmailDetails.WELCOME
                        + "\",\"subscribed\":true,\"numberOfEmailsSent\":1,\"status\":\"RUNNING\","
                        + "\"requestId\":\"r1\"}"),
                json(reply));
        assertEquals(List.of("replied RUNNING"), told.events);
    }

    @Test
    void aPendingSubscriptionIsToldApartFromASubscribedOne() throws Exception {
        lookup.answer = email -> new Lookup.Found(
                "RUNNING", new EmailDetails("alice@example.com", EmailDetails.AWAITING_CONFIRMATION, 0, false));

        done(plan("{'email': 'alice@example.com', 'requestId': 'r1'}", correlated()));

        assertEquals(
                Json.MAPPER.readTree("{\"email\":\"alice@example.com\",\"message\":\""
                        + EmailDetails.AWAITING_CONFIRMATION
                        + "\",\"subscribed\":false,\"numberOfEmailsSent\":0,\"status\":\"RUNNING\","
                        + "\"requestId\":\"r1\",\"pending\":true}"),
                json(producer.history().get(0)));
    }

    @Test
    void whatTheLookupCouldNotFindOrReachIsSaidInTheReply() throws Exception {
        lookup.answer = email -> email.startsWith("nobody")
                ? new Lookup.NotFound()
                : new Lookup.Unavailable("Temporal did not answer within 5000 ms");

        done(plan("{'email': 'nobody@example.com'}", correlated()));
        done(plan("{'email': 'alice@example.com'}", correlated()));

        assertEquals("NOT_FOUND", json(producer.history().get(0)).get("status").asText());
        JsonNode unavailable = json(producer.history().get(1));
        assertEquals("UNAVAILABLE", unavailable.get("status").asText());
        assertEquals(
                "Temporal did not answer within 5000 ms",
                unavailable.get("error").asText());
    }

    @Test
    void anExpiredRequestIsDroppedWithoutAQueryOrAReply() throws Exception {
        Map<String, byte[]> headers = Map.of(
                DetailsRequestParser.CORRELATION_ID,
                bytes("corr-1"),
                DetailsRequestParser.DEADLINE,
                bytes(Long.toString(NOW.toEpochMilli() - 1)));

        assertSame(Disposition.DONE, done(plan("{'email': 'alice@example.com'}", headers)));

        assertEquals(List.of(), lookup.asked);
        assertEquals(List.of(), producer.history());
        assertEquals(List.of("expired 42"), told.events);
    }

    @Test
    void aDeadlineNotYetPassedIsAnsweredAsAnEightByteLongToo() throws Exception {
        Map<String, byte[]> headers = Map.of(
                DetailsRequestParser.CORRELATION_ID,
                bytes("corr-1"),
                DetailsRequestParser.DEADLINE,
                ByteBuffer.allocate(8).putLong(NOW.toEpochMilli() + 1).array());

        done(plan("{'email': 'alice@example.com'}", headers));

        assertEquals(1, producer.history().size());
    }

    @Test
    void anInvalidRequestNobodyCanRecogniseAReplyToIsDeadLetteredUnanswered() throws Exception {
        Disposition disposition = done(plan("{'email': 'not an email'}", Map.of()));

        String reason = deadLetterReason(disposition);
        assertTrue(reason.startsWith("invalid email"), reason);
        assertEquals(List.of(), lookup.asked);
        assertEquals(List.of(), producer.history());
        assertEquals(List.of(), told.events);
    }

    @Test
    void anInvalidRequestWithARequestIdIsAnsweredInvalidWithoutAQuery() throws Exception {
        done(plan("{'email': 42, 'requestId': 'r9'}", Map.of()));

        assertEquals(List.of(), lookup.asked);
        JsonNode reply = json(producer.history().get(0));
        assertEquals("INVALID_REQUEST", reply.get("status").asText());
        assertEquals("r9", reply.get("requestId").asText());
        assertEquals("field 'email' must be a string", reply.get("error").asText());
    }

    @Test
    void aReplyTopicThatDoesNotExistIsDeadLetteredBeforeAnyQuery() throws Exception {
        Map<String, byte[]> headers = Map.of(
                DetailsRequestParser.CORRELATION_ID,
                bytes("corr-1"),
                DetailsRequestParser.REPLY_TOPIC,
                bytes("no-such-topic"));

        Disposition disposition = done(plan("{'email': 'alice@example.com'}", headers));

        assertEquals(
                "cannot reply to topic no-such-topic: topic no-such-topic does not exist",
                deadLetterReason(disposition));
        assertEquals(List.of(), lookup.asked);
        assertEquals(List.of(), producer.history());
    }

    @Test
    void aPartitionBeyondTheRememberedCountIsCheckedAgainstTheClusterOnceBeforeItIsRefused() throws Exception {
        Disposition disposition = done(plan("{'email': 'alice@example.com'}", partition(5)));

        assertEquals(
                "cannot reply to topic " + REPLIES + " partition 5: topic " + REPLIES
                        + " has 3 partitions, so partition 5 does not exist",
                deadLetterReason(disposition));
        assertEquals(List.of("describe " + REPLIES, "forget [" + REPLIES + "]", "describe " + REPLIES), topics.calls);
        assertEquals(List.of(), lookup.asked);
    }

    @Test
    void aPartitionAddedSinceTheTopicWasLastDescribedIsRepliedTo() throws Exception {
        topics.onForget = () -> topics.partitions.put(REPLIES, 6);

        assertSame(Disposition.DONE, done(plan("{'email': 'alice@example.com'}", partition(5))));

        assertEquals(5, producer.history().get(0).partition());
        assertEquals(List.of("alice@example.com"), lookup.asked);
    }

    @Test
    void aReplyThatFailedToPublishIsPublishedAgainWithoutAnotherQuery() throws Exception {
        MockProducer<byte[], byte[]> failing =
                new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        Work work = plan(failing, "{'email': 'alice@example.com', 'requestId': 'r1'}", correlated());

        CompletableFuture<Disposition> first = work.attempt().toCompletableFuture();
        awaitSent(failing, 1);
        failing.errorNext(new TimeoutException("broker unreachable"));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> first.get(5, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, failed.getCause());
        assertTrue(topics.calls.contains("forget [" + REPLIES + "]"), "a failed send looks the topic up again");

        CompletableFuture<Disposition> second = work.attempt().toCompletableFuture();
        awaitSent(failing, 2);
        failing.completeNext();

        assertSame(Disposition.DONE, second.get(5, TimeUnit.SECONDS));
        assertEquals(List.of("alice@example.com"), lookup.asked, "one query for both attempts");
        assertArrayEquals(
                failing.history().get(0).value(), failing.history().get(1).value());
    }

    @Test
    void aReplyTooLargeForTheTopicIsDeadLettered() throws Exception {
        MockProducer<byte[], byte[]> failing =
                new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        CompletableFuture<Disposition> attempt = plan(failing, "{'email': 'alice@example.com'}", correlated())
                .attempt()
                .toCompletableFuture();
        awaitSent(failing, 1);
        failing.errorNext(new RecordTooLargeException("2000000 bytes"));

        assertTrue(
                deadLetterReason(attempt.get(5, TimeUnit.SECONDS)).endsWith("the reply is too large: 2000000 bytes"));
    }

    private static Map<String, byte[]> partition(int partition) {
        return Map.of(
                DetailsRequestParser.CORRELATION_ID,
                bytes("corr-1"),
                DetailsRequestParser.REPLY_PARTITION,
                ByteBuffer.allocate(4).putInt(partition).array());
    }

    /** Sends reach the producer on the publisher's own thread. */
    private static void awaitSent(MockProducer<byte[], byte[]> producer, int records) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> producer.history().size() >= records);
    }

    /** The reason of a dead-letter disposition; fails for any other. */
    private static String deadLetterReason(Disposition disposition) {
        return assertInstanceOf(Disposition.DeadLetter.class, disposition).reason();
    }
}
