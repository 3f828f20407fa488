package com.example.subscriptions.kafka;

import static com.example.subscriptions.kafka.LoopHarness.DEAD_LETTER_TOPIC;
import static com.example.subscriptions.kafka.LoopHarness.P0;
import static com.example.subscriptions.kafka.LoopHarness.TOPIC;
import static com.example.subscriptions.kafka.LoopHarness.assertHeader;
import static com.example.subscriptions.kafka.LoopHarness.bytes;
import static com.example.subscriptions.kafka.LoopHarness.eventually;
import static com.example.subscriptions.kafka.LoopHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Records that can never succeed: copied intact to the dead letter topic with their reason, then committed past. */
class DeadLetterTest {

    private final LoopHarness h = new LoopHarness();

    @AfterEach
    void stopTheLoop() throws InterruptedException {
        h.close();
    }

    @Test
    void aDeadLetterCopiesKeyValueAndHeadersAndIsCommittedOnlyOnceTheCopyIsAcknowledged() {
        h.startWithManualDeadLetterAcks(4);
        Headers headers = new RecordHeaders().add("trace-id", bytes("t-1")).add("type", bytes("subscribe"));
        h.sendRecord(P0, "A", "undeliverable", headers);

        h.attempt(P0, 0).deadLetter("no such subscriber");
        ProducerRecord<byte[], byte[]> copy = h.awaitDeadLetter(1);
        assertEquals(DEAD_LETTER_TOPIC, copy.topic());
        assertEquals("A", text(copy.key()));
        assertEquals("undeliverable", text(copy.value()));
        assertHeader(copy, "trace-id", "t-1");
        assertHeader(copy, "type", "subscribe");
        assertHeader(copy, DeadLetters.ORIGINAL_TOPIC, TOPIC);
        assertHeader(copy, DeadLetters.ORIGINAL_PARTITION, "0");
        assertHeader(copy, DeadLetters.ORIGINAL_OFFSET, "0");
        assertHeader(copy, DeadLetters.REASON, "no such subscriber");

        h.awaitACommitRound();
        h.assertCommittedAtMost(P0, 0);

        assertTrue(h.deadLetterProducer.completeNext());
        h.awaitCommitted(P0, 1);
        assertEquals(1, h.loop.deadLettered());
    }

    @Test
    void aDeadLetterTooLargeWithItsHeadersIsSentAgainWithoutThem() {
        h.startWithManualDeadLetterAcks(4);
        h.sendRecord(P0, "A", "big", new RecordHeaders().add("trace-id", bytes("t-1")));

        h.attempt(P0, 0).deadLetter("unsupported");
        h.awaitDeadLetter(1);
        assertTrue(h.deadLetterProducer.errorNext(new RecordTooLargeException("too large")));

        ProducerRecord<byte[], byte[]> retry = h.awaitDeadLetter(2);
        assertNull(retry.headers().lastHeader("trace-id"));
        assertNotNull(retry.headers().lastHeader(DeadLetters.HEADERS_DROPPED));
        assertHeader(retry, DeadLetters.ORIGINAL_OFFSET, "0");
        assertEquals("big", text(retry.value()));
        h.assertCommittedAtMost(P0, 0);

        eventually().until(h.deadLetterProducer::completeNext);
        h.awaitCommitted(P0, 1);
    }
}
