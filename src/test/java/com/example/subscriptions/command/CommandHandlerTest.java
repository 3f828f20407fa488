package com.example.subscriptions.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.kafka.Disposition;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.example.subscriptions.kafka.TopicCatalog;
import com.example.subscriptions.kafka.Work;
import com.example.subscriptions.suppression.SuppressionReason;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandHandlerTest {

    private static final String COMMANDS = "commands";
    private static final String EVENTS = "subscription-events";
    private static final Instant NOW = Instant.parse("2025-03-04T05:06:07.089Z");
    private static final Clock FIXED = Clock.fixed(NOW, ZoneOffset.UTC);

    /** Records every call; answers with whatever {@link #answer} says (SUBSCRIBED / UNSUBSCRIBE_REQUESTED). */
    static final class FakeSubscriptions implements Subscriptions {
        final List<String> calls = new CopyOnWriteArrayList<>();
        /** Each call's record position and whether it said it was a retry. */
        final List<String> requests = new CopyOnWriteArrayList<>();

        volatile Function<String, CompletionStage<Outcome>> answer = call -> CompletableFuture.completedFuture(
                call.startsWith("subscribe ") ? Outcome.SUBSCRIBED : Outcome.UNSUBSCRIBE_REQUESTED);

        @Override
        public CompletionStage<Outcome> subscribe(EmailAddress email, CommandPosition at, boolean retry) {
            requests.add(at + (retry ? " retry" : " first"));
            return record("subscribe " + email.value());
        }

        @Override
        public CompletionStage<Outcome> unsubscribe(EmailAddress email, CommandPosition at, boolean retry) {
            requests.add(at + (retry ? " retry" : " first"));
            return record("unsubscribe " + email.value());
        }

        @Override
        public CompletionStage<Outcome> confirm(EmailAddress email, CommandPosition at) {
            requests.add(at + " first");
            return record("confirm " + email.value());
        }

        @Override
        public CompletionStage<Ending> end(
                EmailAddress email, CommandPosition at, SuppressionReason why, boolean retry) {
            requests.add(at + (retry ? " retry" : " first"));
            calls.add("end " + why.wireName() + " " + email.value());
            return endAnswer.apply(email.value());
        }

        @Override
        public CompletionStage<Outcome> erase(EmailAddress email, CommandPosition at, boolean retry) {
            requests.add(at + (retry ? " retry" : " first"));
            calls.add("erase " + email.value());
            return CompletableFuture.completedFuture(Outcome.ERASED);
        }

        volatile Function<String, CompletionStage<Ending>> endAnswer =
                email -> CompletableFuture.completedFuture(Ending.ENDED);

        private CompletionStage<Outcome> record(String call) {
            calls.add(call);
            return answer.apply(call);
        }

        void answerAlways(Outcome outcome) {
            answer = call -> CompletableFuture.completedFuture(outcome);
        }

        void failAlways(RuntimeException error) {
            answer = call -> CompletableFuture.failedFuture(error);
        }
    }

    /** A clock that moves one second forward every time it is read, to tell fresh events from re-sent ones. */
    static final class TickingClock extends Clock {
        private Instant next = NOW;

        @Override
        public synchronized Instant instant() {
            Instant now = next;
            next = next.plusSeconds(1);
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** The cluster's topic ids as a test sets them; a lookup of a topic it does not know fails. */
    static final class FakeTopics implements TopicCatalog {
        final Map<String, String> ids = new ConcurrentHashMap<>(Map.of(COMMANDS, "id-1"));
        final List<String> lookups = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<TopicFacts> describe(String topic) {
            lookups.add(topic);
            String id = ids.get(topic);
            return id == null
                    ? CompletableFuture.failedFuture(new org.apache.kafka.common.errors.TimeoutException("no answer"))
                    : CompletableFuture.completedFuture(new TopicFacts(topic, id, 3));
        }

        @Override
        public void forget(Collection<String> topics) {
            lookups.add("forget " + topics);
        }
    }

    private static final io.temporal.api.common.v1.WorkflowExecution EXECUTION =
            io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                    .setWorkflowId("a@example.com")
                    .build();

    private final FakeSubscriptions subscriptions = new FakeSubscriptions();
    private final FakeSuppressions suppressions = new FakeSuppressions();
    private final FakeTopics topics = new FakeTopics();
    private final List<SubscriptionEvent> observed = new CopyOnWriteArrayList<>();

    private static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private CommandHandler handler(MockProducer<byte[], byte[]> producer, Clock clock) {
        return new CommandHandler(
                new CommandParser(16 * 1024),
                CommandAppliers.of(subscriptions, suppressions, clock),
                new KafkaPublisher(producer),
                EVENTS,
                clock,
                observed::add,
                new AssignmentGate(topics, suppressions, java.time.Duration.ofMillis(300)));
    }

    private static ConsumerRecord<byte[], byte[]> command(long offset, String key, String value) {
        return new ConsumerRecord<>(
                COMMANDS, 0, offset, key == null ? null : bytes(key), value == null ? null : bytes(value));
    }

    private static ConsumerRecord<byte[], byte[]> command(long offset, String value) {
        return command(offset, null, value);
    }

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Disposition done(CompletionStage<Disposition> attempt) throws Exception {
        return attempt.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** Sends reach the producer on the publisher's own thread. */
    private static void awaitSent(MockProducer<byte[], byte[]> producer, int records) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(5))
                .until(() -> producer.history().size() >= records);
    }

    private static Throwable failure(CompletionStage<Disposition> attempt) {
        ExecutionException e = assertThrows(
                ExecutionException.class, () -> attempt.toCompletableFuture().get(5, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static JsonNode value(ProducerRecord<byte[], byte[]> record) throws IOException {
        return Json.MAPPER.readTree(record.value());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ---------------------------------------------------------------- valid commands

    static Stream<Arguments> validCommands() {
        return Stream.of(
                Arguments.of("subscribe", "subscribe", Outcome.SUBSCRIBED),
                Arguments.of("SUBSCRIBE", "subscribe", Outcome.ALREADY_SUBSCRIBED),
                Arguments.of("unsubscribe", "unsubscribe", Outcome.UNSUBSCRIBE_REQUESTED),
                Arguments.of("UnSubscribe", "unsubscribe", Outcome.NOT_SUBSCRIBED));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("validCommands")
    void validCommandCallsSubscriptionsWithNormalisedEmailAndPublishesExactlyOneEvent(
            String type, String wireType, Outcome outcome) throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        subscriptions.answerAlways(outcome);

        Work work = handler(producer, FIXED)
                .plan(command(
                        7,
                        "producer-key",
                        json("{'type': '" + type + "', 'email': '  Alice+News@Example.COM ', 'commandId': 'c-1'}")));
        Disposition disposition = done(work.attempt());

        assertSame(Disposition.DONE, disposition);
        assertEquals(List.of(wireType + " alice+news@example.com"), subscriptions.calls);
        assertEquals(1, producer.history().size());
        ProducerRecord<byte[], byte[]> event = producer.history().get(0);
        assertEquals(EVENTS, event.topic());
        assertArrayEquals(bytes("alice+news@example.com"), event.key());
        JsonNode json = value(event);
        assertEquals(
                Set.of("commandId", "type", "email", "outcome", "at"),
                fieldNames(json),
                "no 'reason' field for a normal outcome");
        assertEquals("c-1", json.get("commandId").asText());
        assertEquals(wireType, json.get("type").asText());
        assertEquals("alice+news@example.com", json.get("email").asText());
        assertEquals(outcome.name(), json.get("outcome").asText());
        assertEquals("2025-03-04T05:06:07.089Z", json.get("at").asText());
    }

    @Test
    void eventAtIsAnIso8601InstantTakenFromTheClock() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        Instant when = Instant.parse("2031-12-31T23:59:59Z");
        done(handler(producer, Clock.fixed(when, ZoneOffset.UTC))
                .plan(command(1, json("{'type': 'subscribe', 'email': 'a@example.com'}")))
                .attempt());

        JsonNode at = value(producer.history().get(0)).get("at");
        assertTrue(at.isTextual(), "at must be an ISO-8601 string, not a number: " + at);
        assertEquals(when, Instant.parse(at.asText()));
    }

    @Test
    void eventWithoutCommandIdCarriesTopicPartitionOffset() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        done(handler(producer, FIXED)
                .plan(command(99, json("{'type': 'subscribe', 'email': 'a@example.com'}")))
                .attempt());

        assertEquals(
                "commands-0-99",
                value(producer.history().get(0)).get("commandId").asText());
    }

    @Test
    void orderingKeyOfValidCommandIsTheNormalisedEmail() {
        CommandHandler handler = handler(producer(true), FIXED);
        Work first = handler.plan(command(1, json("{'type': 'subscribe', 'email': 'Bob@Example.com'}")));
        Work second = handler.plan(command(2, json("{'type': 'unsubscribe', 'email': ' bob@example.COM'}")));
        Work other = handler.plan(command(3, json("{'type': 'subscribe', 'email': 'carol@example.com'}")));

        assertEquals(new EmailAddress("bob@example.com"), first.orderingKey());
        assertEquals(first.orderingKey(), second.orderingKey(), "same subscriber, one at a time");
        assertEquals(first.orderingKey().hashCode(), second.orderingKey().hashCode());
        assertNotEquals(first.orderingKey(), other.orderingKey());
    }

    @Test
    void planDoesNotCallSubscriptionsOrPublish() {
        MockProducer<byte[], byte[]> producer = producer(true);
        handler(producer, FIXED).plan(command(1, json("{'type': 'subscribe', 'email': 'a@example.com'}")));

        assertTrue(subscriptions.calls.isEmpty());
        assertTrue(producer.history().isEmpty());
        assertTrue(observed.isEmpty());
    }

    // ---------------------------------------------------------------- rejected records

    @Test
    void rejectedRecordPublishesRejectedEventWithReasonAndIsDeadLettered() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        Work work = handler(producer, FIXED)
                .plan(command(5, "k", json("{'type': 'resubscribe', 'email': 'a@example.com', 'commandId': 'c-7'}")));

        Disposition disposition = done(work.attempt());

        Disposition.DeadLetter deadLetter = assertInstanceOf(Disposition.DeadLetter.class, disposition);
        assertTrue(deadLetter.reason().contains("unknown type 'resubscribe'"), deadLetter.reason());
        assertTrue(subscriptions.calls.isEmpty(), "a rejected command never reaches Temporal");
        assertEquals(1, producer.history().size());
        ProducerRecord<byte[], byte[]> event = producer.history().get(0);
        assertEquals(EVENTS, event.topic());
        JsonNode json = value(event);
        assertEquals(Set.of("commandId", "type", "email", "outcome", "reason", "at"), fieldNames(json));
        assertEquals("REJECTED", json.get("outcome").asText());
        assertEquals("c-7", json.get("commandId").asText());
        assertEquals("resubscribe", json.get("type").asText());
        assertEquals("a@example.com", json.get("email").asText());
        assertEquals(deadLetter.reason(), json.get("reason").asText());
        assertEquals(NOW.toString(), json.get("at").asText());
    }

    @Test
    void rejectedRecordWithNothingReadableOmitsTypeAndEmailFromTheEvent() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        Disposition disposition =
                done(handler(producer, FIXED).plan(command(8, "not json")).attempt());

        Disposition.DeadLetter deadLetter = assertInstanceOf(Disposition.DeadLetter.class, disposition);
        JsonNode json = value(producer.history().get(0));
        assertEquals(Set.of("commandId", "outcome", "reason", "at"), fieldNames(json));
        assertEquals("commands-0-8", json.get("commandId").asText());
        assertEquals("REJECTED", json.get("outcome").asText());
        assertEquals(deadLetter.reason(), json.get("reason").asText());
        assertTrue(deadLetter.reason().contains("not JSON"), deadLetter.reason());
    }

    @Test
    void tombstoneIsRejectedAndDeadLettered() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        Disposition disposition = done(
                handler(producer, FIXED).plan(command(9, "a@example.com", null)).attempt());

        assertInstanceOf(Disposition.DeadLetter.class, disposition);
        assertEquals("REJECTED", value(producer.history().get(0)).get("outcome").asText());
        assertTrue(subscriptions.calls.isEmpty());
    }

    @Test
    void rejectedEventKeepsTheCommandRecordsOwnKey() throws Exception {
        // No normalised email exists for a rejected record; the event keeps the command's key (null stays null).
        MockProducer<byte[], byte[]> producer = producer(true);
        CommandHandler handler = handler(producer, FIXED);
        done(handler.plan(command(1, "original-key", "[]")).attempt());
        done(handler.plan(command(2, null, "[]")).attempt());

        assertArrayEquals(bytes("original-key"), producer.history().get(0).key());
        assertNull(producer.history().get(1).key());
    }

    @Test
    void orderingKeyOfRejectedRecordIsUniquePerRecord() {
        CommandHandler handler = handler(producer(true), FIXED);
        String bad = json("{'type': 'resubscribe', 'email': 'a@example.com'}");
        List<Object> keys = new ArrayList<>();
        keys.add(handler.plan(new ConsumerRecord<>(COMMANDS, 0, 1, null, bytes(bad)))
                .orderingKey());
        keys.add(handler.plan(new ConsumerRecord<>(COMMANDS, 0, 2, null, bytes(bad)))
                .orderingKey());
        keys.add(handler.plan(new ConsumerRecord<>(COMMANDS, 1, 1, null, bytes(bad)))
                .orderingKey());
        keys.add(handler.plan(new ConsumerRecord<>("other-commands", 0, 1, null, bytes(bad)))
                .orderingKey());
        Object validKey = handler.plan(new ConsumerRecord<>(
                        COMMANDS, 0, 3, null, bytes(json("{'type': 'subscribe', 'email': 'a@example.com'}"))))
                .orderingKey();

        assertEquals(keys.size(), new HashSet<>(keys).size(), "distinct records, distinct keys: " + keys);
        assertFalse(keys.contains(validKey), "a rejected record does not wait behind the subscriber's commands");
        // Value equality: the same record planned again has an equal key.
        assertEquals(
                keys.get(0),
                handler.plan(new ConsumerRecord<>(COMMANDS, 0, 1, null, bytes(bad)))
                        .orderingKey());
    }

    // ---------------------------------------------------------------- failures and retries

    @Test
    void failedSubscriptionsStageFailsTheAttemptAndPublishesNothing() {
        MockProducer<byte[], byte[]> producer = producer(true);
        RuntimeException down = new IllegalStateException("temporal unreachable");
        subscriptions.failAlways(down);

        Work work = handler(producer, FIXED).plan(command(1, json("{'type': 'subscribe', 'email': 'a@example.com'}")));
        Throwable cause = failure(work.attempt());

        assertSame(down, cause instanceof java.util.concurrent.CompletionException ? cause.getCause() : cause);
        assertTrue(producer.history().isEmpty());
        assertTrue(observed.isEmpty());
    }

    @Test
    void retryAfterFailedSubscriptionsStageCallsSubscriptionsAgainAndThenPublishesOnce() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        subscriptions.failAlways(new IllegalStateException("temporal unreachable"));
        Work work =
                handler(producer, FIXED).plan(command(1, json("{'type': 'unsubscribe', 'email': 'a@example.com'}")));
        failure(work.attempt());

        subscriptions.answerAlways(Outcome.NOT_SUBSCRIBED);
        assertSame(Disposition.DONE, done(work.attempt()));

        assertEquals(List.of("unsubscribe a@example.com", "unsubscribe a@example.com"), subscriptions.calls);
        assertEquals(
                List.of("commands-0-1 first", "commands-0-1 retry"),
                subscriptions.requests.stream().map(r -> r.replace("@id-1", "")).toList(),
                "the second call is told the first may have been applied");
        assertEquals(1, producer.history().size());
        assertEquals(
                "NOT_SUBSCRIBED",
                value(producer.history().get(0)).get("outcome").asText());
        work.finished();
        assertEquals(1, observed.size());
    }

    @Test
    void positionsCarryTheTopicIdAndAnAssignmentLooksItUpAgainForARecreatedTopic() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        CommandHandler handler = handler(producer, FIXED);
        String subscribe = json("{'type': 'subscribe', 'email': 'a@example.com'}");

        done(handler.plan(command(1, subscribe)).attempt());
        topics.ids.put(COMMANDS, "id-2"); // deleted and created again
        handler.assigned(List.of(new TopicPartition(COMMANDS, 0), new TopicPartition(COMMANDS, 1)));
        done(handler.plan(command(2, subscribe)).attempt());

        assertEquals(List.of("commands-0-1@id-1 first", "commands-0-2@id-2 first"), subscriptions.requests);
        assertTrue(topics.lookups.contains("forget [commands]"), topics.lookups.toString());
    }

    @Test
    void aCommandWhoseTopicIdCannotBeLookedUpIsRetriedAndNeverAppliedWithoutIt() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        topics.ids.clear();
        Work work = handler(producer, FIXED).plan(command(1, json("{'type': 'subscribe', 'email': 'a@example.com'}")));

        failure(work.attempt());
        assertEquals(List.of(), subscriptions.calls, "applied with an unknown topic id");

        topics.ids.put(COMMANDS, "id-1");
        assertSame(Disposition.DONE, done(work.attempt()));
        assertEquals(List.of("commands-0-1@id-1 first"), subscriptions.requests);
    }

    @Test
    void aCommandTemporalRefusesForWhatItHoldsIsRejectedAndDeadLettered() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        subscriptions.failAlways(new io.temporal.client.WorkflowServiceException(
                EXECUTION,
                null,
                new io.grpc.StatusRuntimeException(io.grpc.Status.INVALID_ARGUMENT.withDescription("memo too large"))));
        Work work = handler(producer, FIXED)
                .plan(command(
                        1, "a@example.com", json("{'type': 'subscribe', 'email': 'a@example.com', 'commandId': 'c'}")));

        Disposition disposition = done(work.attempt());

        Disposition.DeadLetter deadLetter = assertInstanceOf(Disposition.DeadLetter.class, disposition);
        assertEquals("Temporal refused the command: INVALID_ARGUMENT: memo too large", deadLetter.reason());
        JsonNode event = value(producer.history().get(0));
        assertEquals("REJECTED", event.get("outcome").asText());
        assertEquals(deadLetter.reason(), event.get("reason").asText());
        assertEquals("c", event.get("commandId").asText());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(
            value = io.grpc.Status.Code.class,
            names = {
                "UNAVAILABLE",
                "DEADLINE_EXCEEDED",
                "PERMISSION_DENIED",
                "UNAUTHENTICATED",
                "NOT_FOUND",
                "RESOURCE_EXHAUSTED",
                "INTERNAL",
                "UNKNOWN",
                "FAILED_PRECONDITION",
                "ABORTED",
                "CANCELLED",
                "UNIMPLEMENTED"
            })
    void aFailureOfTheEnvironmentFailsTheAttemptSoItIsRetried(io.grpc.Status.Code code) {
        MockProducer<byte[], byte[]> producer = producer(true);
        subscriptions.failAlways(new io.temporal.client.WorkflowServiceException(
                EXECUTION, null, new io.grpc.StatusRuntimeException(io.grpc.Status.fromCode(code))));
        Work work = handler(producer, FIXED).plan(command(1, json("{'type': 'subscribe', 'email': 'a@example.com'}")));

        failure(work.attempt());

        assertTrue(producer.history().isEmpty(), "no event for a command that will be retried");
    }

    @Test
    void retryAfterFailedPublishRepublishesTheSameEventWithoutCallingSubscriptionsAgain() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(false);
        // A ticking clock: a freshly built event would carry a later 'at' than the first one.
        Work work = handler(producer, new TickingClock())
                .plan(command(1, json("{'type': 'subscribe', 'email': 'A@example.com', 'commandId': 'c-1'}")));

        CompletionStage<Disposition> first = work.attempt();
        awaitSent(producer, 1);
        assertFalse(first.toCompletableFuture().isDone(), "waits for the broker's acknowledgement");
        assertTrue(producer.errorNext(new TimeoutException("broker did not acknowledge")));
        assertInstanceOf(TimeoutException.class, failure(first));
        assertTrue(observed.isEmpty(), "an event that was not published is not reported");

        CompletionStage<Disposition> second = work.attempt();
        awaitSent(producer, 2);
        assertTrue(producer.completeNext());
        assertSame(Disposition.DONE, done(second));

        assertEquals(List.of("subscribe a@example.com"), subscriptions.calls, "Temporal is called once only");
        assertEquals(2, producer.history().size());
        ProducerRecord<byte[], byte[]> failed = producer.history().get(0);
        ProducerRecord<byte[], byte[]> resent = producer.history().get(1);
        assertEquals(EVENTS, resent.topic());
        assertArrayEquals(failed.key(), resent.key());
        assertArrayEquals(failed.value(), resent.value(), "the very same event, same 'at'");
        assertEquals(NOW.toString(), value(resent).get("at").asText());
        work.finished();
        assertEquals(1, observed.size());
    }

    @Test
    void retryAfterSynchronousSendFailureRepublishesWithoutCallingSubscriptionsAgain() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        producer.sendException = new KafkaException("producer is closed");
        Work work = handler(producer, new TickingClock())
                .plan(command(1, json("{'type': 'unsubscribe', 'email': 'a@example.com'}")));

        assertInstanceOf(KafkaException.class, failure(work.attempt()));
        producer.sendException = null;
        assertSame(Disposition.DONE, done(work.attempt()));

        assertEquals(List.of("unsubscribe a@example.com"), subscriptions.calls);
        assertEquals(1, producer.history().size());
        assertEquals(NOW.toString(), value(producer.history().get(0)).get("at").asText());
        work.finished();
        assertEquals(1, observed.size());
    }

    @Test
    void retryAfterFailedPublishOfRejectedEventRepublishesItAndStillDeadLetters() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(false);
        Work work = handler(producer, new TickingClock()).plan(command(4, "{}"));

        CompletionStage<Disposition> first = work.attempt();
        awaitSent(producer, 1);
        producer.errorNext(new TimeoutException("no ack"));
        failure(first);
        CompletionStage<Disposition> second = work.attempt();
        awaitSent(producer, 2);
        producer.completeNext();

        Disposition.DeadLetter deadLetter = assertInstanceOf(Disposition.DeadLetter.class, done(second));
        assertTrue(deadLetter.reason().contains("missing field 'type'"), deadLetter.reason());
        assertEquals(2, producer.history().size());
        assertArrayEquals(
                producer.history().get(0).value(), producer.history().get(1).value());
        work.finished();
        assertEquals(1, observed.size());
        assertEquals(Outcome.REJECTED, observed.get(0).outcome());
    }

    // ---------------------------------------------------------------- onEvent

    @Test
    void onEventIsCalledOncePerPublishedEventWithThatEvent() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        CommandHandler handler = handler(producer, FIXED);

        for (ConsumerRecord<byte[], byte[]> record : List.of(
                command(1, json("{'type': 'subscribe', 'email': 'A@example.com', 'commandId': 'x'}")),
                command(2, json("{'type': 'unsubscribe', 'email': 'b@example.com', 'commandId': 'y'}")),
                command(3, "nonsense"))) {
            Work work = handler.plan(record);
            done(work.attempt());
            work.finished();
        }

        assertEquals(3, observed.size());
        assertEquals(
                new SubscriptionEvent("x", "subscribe", "a@example.com", Outcome.SUBSCRIBED, null, null, NOW),
                observed.get(0));
        assertEquals(
                new SubscriptionEvent(
                        "y", "unsubscribe", "b@example.com", Outcome.UNSUBSCRIBE_REQUESTED, null, null, NOW),
                observed.get(1));
        assertEquals(Outcome.REJECTED, observed.get(2).outcome());
        assertEquals("commands-0-3", observed.get(2).commandId());
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    Json.MAPPER.readTree(Json.toBytes(observed.get(i))),
                    value(producer.history().get(i)),
                    "reported event " + i + " is the published one");
        }
    }

    @Test
    void onEventIsCalledWhenTheRecordIsFinishedNotWhenTheBrokerAcknowledges() {
        MockProducer<byte[], byte[]> producer = producer(false);
        Work work = handler(producer, FIXED).plan(command(1, json("{'type': 'subscribe', 'email': 'a@example.com'}")));

        CompletionStage<Disposition> attempt = work.attempt();
        awaitSent(producer, 1);
        producer.completeNext();
        assertTrue(attempt.toCompletableFuture().isDone());
        assertTrue(observed.isEmpty(), "not on the producer's I/O thread");

        work.finished();
        assertEquals(1, observed.size());
    }
}
