package com.example.subscriptions.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.contract.ContractSchemas;
import com.example.subscriptions.contract.Payload;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.kafka.Disposition;
import com.example.subscriptions.kafka.KafkaPublisher;
import com.example.subscriptions.kafka.Work;
import com.example.subscriptions.suppression.Suppression;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Bounces, complaints and lifts through the handler, and the subscribe of a suppressed address. */
class SuppressionCommandsTest {

    private static final String COMMANDS = "commands";
    private static final String BOB = "bob@example.com";
    private static final Instant NOW = Instant.parse("2026-11-24T23:07:02.100Z");
    private static final Clock FIXED = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration GATE_WAIT = Duration.ofMillis(300);

    private final CommandHandlerTest.FakeSubscriptions subscriptions = new CommandHandlerTest.FakeSubscriptions();
    private final FakeSuppressions suppressions = new FakeSuppressions();
    private final CommandHandlerTest.FakeTopics topics = new CommandHandlerTest.FakeTopics();
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final CommandHandler handler = new CommandHandler(
            new CommandParser(16 * 1024),
            CommandAppliers.of(subscriptions, suppressions, FIXED),
            new KafkaPublisher(producer),
            "events",
            FIXED,
            event -> {},
            new AssignmentGate(topics, suppressions, GATE_WAIT));

    private static ConsumerRecord<byte[], byte[]> record(long offset, String singleQuotedJson) {
        return new ConsumerRecord<>(
                COMMANDS,
                0,
                offset,
                BOB.getBytes(StandardCharsets.UTF_8),
                singleQuotedJson.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static ConsumerRecord<byte[], byte[]> bounce(long offset) {
        return record(
                offset,
                "{'type': 'bounce', 'email': 'Bob@example.com', 'source': 'dsn', "
                        + "'diagnostic': 'smtp; 550 5.1.1 <bob@example.com>: user unknown', 'commandId': 'b-" + offset
                        + "'}");
    }

    private static Disposition done(CompletionStage<Disposition> attempt) throws Exception {
        return attempt.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** The events published, in order, each checked against the event schema. */
    private List<JsonNode> events() {
        return producer.history().stream()
                .map(record -> {
                    String json = new String(record.value(), StandardCharsets.UTF_8);
                    assertEquals(List.of(), ContractSchemas.violations(Payload.EVENT, json), json);
                    try {
                        return Json.MAPPER.readTree(json);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .toList();
    }

    private static Suppression entry() {
        return new Suppression("bounce", "ses", NOW, "earlier");
    }

    @Test
    void aBounceEndsTheRunningSubscriptionThenSuppressesTheAddressThenPublishesItsEvent() throws Exception {
        assertSame(Disposition.DONE, done(handler.plan(bounce(7)).attempt()));

        assertEquals(List.of("end bounce " + BOB), subscriptions.calls);
        assertEquals(List.of("add " + BOB + " bounce dsn b-7"), suppressions.writes);
        assertEquals(
                new Suppression("bounce", "dsn", NOW, "b-7"),
                suppressions.entries.get(BOB),
                "no address and no diagnostic beyond the key");
        JsonNode event = events().get(0);
        assertEquals("SUPPRESSED", event.get("outcome").asText());
        assertEquals("bounce", event.get("type").asText());
        assertEquals("dsn", event.get("source").asText());
        assertEquals("b-7", event.get("commandId").asText());
    }

    @Test
    void aBounceTheWorkerReportedLeavesItsRunToEndByItself() throws Exception {
        done(handler.plan(record(
                        4,
                        "{'type': 'bounce', 'email': 'bob@example.com', 'source': 'smtp', "
                                + "'diagnostic': '550 5.1.1 mailbox unavailable'}"))
                .attempt());

        assertEquals(List.of(), subscriptions.calls, "the run that reported it ends COMPLETED by itself");
        assertEquals("smtp", suppressions.entries.get(BOB).source());
        assertEquals("SUPPRESSED", events().get(0).get("outcome").asText());
    }

    @Test
    void aComplaintSuppressesForAComplaint() throws Exception {
        done(handler.plan(record(3, "{'type': 'complaint', 'email': 'bob@example.com', 'source': 'arf'}"))
                .attempt());

        assertEquals(List.of("end complaint " + BOB), subscriptions.calls);
        assertEquals("complaint", suppressions.entries.get(BOB).reason());
        assertEquals("SUPPRESSED", events().get(0).get("outcome").asText());
    }

    @Test
    void aRepeatedBounceIsAlreadySuppressedWritesNothingAndStillEndsWhatRuns() throws Exception {
        suppressions.entries.put(BOB, entry());

        done(handler.plan(bounce(8)).attempt());

        assertEquals(List.of("end bounce " + BOB), subscriptions.calls, "a run started since is ended all the same");
        assertEquals(List.of(), suppressions.writes);
        assertEquals("ALREADY_SUPPRESSED", events().get(0).get("outcome").asText());
        assertEquals(entry(), suppressions.entries.get(BOB), "the first report's entry stays");
    }

    @Test
    void aBounceWhoseWriteLandedButWhoseAnswerWasLostIsSuppressedOnItsRetry() throws Exception {
        suppressions.writeAnswer = () -> {
            suppressions.entries.put(BOB, entry());
            return CompletableFuture.failedFuture(new TimeoutException("no answer from the broker"));
        };
        Work work = handler.plan(bounce(9));

        ExecutionException failed = assertThrows(
                ExecutionException.class,
                () -> work.attempt().toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, failed.getCause());
        assertEquals(List.of(), producer.history(), "no event before the entry is stored");

        done(work.attempt());
        assertEquals(1, suppressions.writes.size(), "written once");
        assertEquals("SUPPRESSED", events().get(0).get("outcome").asText());
        assertEquals(List.of("commands-0-9@id-1 first", "commands-0-9@id-1 retry"), subscriptions.requests);
    }

    @Test
    void aBounceWhoseRunCannotBeEndedNowWritesNothingAndIsRetried() throws Exception {
        subscriptions.endAnswer = email -> CompletableFuture.failedFuture(new IllegalStateException("Temporal away"));
        Work work = handler.plan(bounce(10));

        assertThrows(
                ExecutionException.class,
                () -> work.attempt().toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertEquals(List.of(), suppressions.writes);

        subscriptions.endAnswer = email -> CompletableFuture.completedFuture(Subscriptions.Ending.ENDED);
        done(work.attempt());
        assertEquals("SUPPRESSED", events().get(0).get("outcome").asText());
    }

    @Test
    void aSubscribeOfASuppressedAddressIsSuppressedWithoutAskingTemporal() throws Exception {
        suppressions.entries.put(BOB, entry());

        done(handler.plan(record(11, "{'type': 'subscribe', 'email': 'bob@example.com'}"))
                .attempt());

        assertEquals(List.of(), subscriptions.calls);
        JsonNode event = events().get(0);
        assertEquals("SUPPRESSED", event.get("outcome").asText());
        assertEquals("subscribe", event.get("type").asText());
        assertFalse(event.has("source"));
    }

    @Test
    void anUnsubscribeOfASuppressedAddressGoesToTemporalAsAlways() throws Exception {
        suppressions.entries.put(BOB, entry());

        done(handler.plan(record(12, "{'type': 'unsubscribe', 'email': 'bob@example.com'}"))
                .attempt());

        assertEquals(List.of("unsubscribe " + BOB), subscriptions.calls);
    }

    @Test
    void unsuppressLiftsASuppressionAndIsNotSuppressedWhenThereIsNone() throws Exception {
        suppressions.entries.put(BOB, entry());

        done(handler.plan(record(13, "{'type': 'unsuppress', 'email': 'bob@example.com'}"))
                .attempt());
        done(handler.plan(record(14, "{'type': 'unsuppress', 'email': 'bob@example.com'}"))
                .attempt());

        assertEquals(List.of("lift " + BOB), suppressions.writes);
        assertEquals(
                List.of("UNSUPPRESSED", "NOT_SUPPRESSED"),
                events().stream().map(e -> e.get("outcome").asText()).toList());
        assertEquals(List.of(), subscriptions.calls, "a lift starts nothing");
    }

    @Test
    void anUnsuppressWhoseLiftLandedButWhoseAnswerWasLostIsUnsuppressedOnItsRetry() throws Exception {
        suppressions.entries.put(BOB, entry());
        suppressions.writeAnswer = () -> {
            suppressions.entries.remove(BOB);
            return CompletableFuture.failedFuture(new TimeoutException("no answer from the broker"));
        };
        Work work = handler.plan(record(15, "{'type': 'unsuppress', 'email': 'bob@example.com'}"));

        assertThrows(
                ExecutionException.class,
                () -> work.attempt().toCompletableFuture().get(5, TimeUnit.SECONDS));
        done(work.attempt());

        assertEquals("UNSUPPRESSED", events().get(0).get("outcome").asText());
    }

    @Test
    void aNewlyAssignedPartitionsCommandsWaitUntilTheListHasReadWhatWasWrittenBeforeTheAssignment() throws Exception {
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();
        suppressions.caughtUpAnswer = () -> caughtUp;
        handler.assigned(List.of(new TopicPartition(COMMANDS, 0)));
        Work subscribe = handler.plan(record(16, "{'type': 'subscribe', 'email': 'bob@example.com'}"));

        CompletableFuture<Disposition> attempt = subscribe.attempt().toCompletableFuture();
        assertFalse(attempt.isDone());
        assertEquals(List.of(), subscriptions.calls);

        // The previous owner's bounce, written before the rebalance, is read; then the subscribe goes on.
        suppressions.entries.put(BOB, entry());
        caughtUp.complete(null);

        assertSame(Disposition.DONE, attempt.get(5, TimeUnit.SECONDS));
        assertEquals(List.of(), subscriptions.calls);
        assertEquals("SUPPRESSED", events().get(0).get("outcome").asText());
    }

    @Test
    void aListThatTakesTooLongFailsTheAttemptSoItIsRetriedVisibly() throws Exception {
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();
        suppressions.caughtUpAnswer = () -> caughtUp;
        handler.assigned(List.of(new TopicPartition(COMMANDS, 0)));
        Work subscribe = handler.plan(record(17, "{'type': 'subscribe', 'email': 'bob@example.com'}"));

        ExecutionException failed = assertThrows(
                ExecutionException.class,
                () -> subscribe.attempt().toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertInstanceOf(AssignmentGate.SuppressionsBehindException.class, failed.getCause());
        assertTrue(
                failed.getCause().getMessage().contains("300 ms"),
                failed.getCause().getMessage());

        caughtUp.complete(null);
        assertSame(Disposition.DONE, done(subscribe.attempt()));
        assertEquals(List.of("subscribe " + BOB), subscriptions.calls);
    }

    @Test
    void partitionsAssignedEarlierDoNotWaitForALaterAssignment() throws Exception {
        handler.assigned(List.of(new TopicPartition(COMMANDS, 0)));
        suppressions.caughtUpAnswer = CompletableFuture::new; // never
        handler.assigned(List.of(new TopicPartition(COMMANDS, 1)));

        assertSame(
                Disposition.DONE,
                done(handler.plan(record(18, "{'type': 'subscribe', 'email': 'bob@example.com'}"))
                        .attempt()));
    }
}
