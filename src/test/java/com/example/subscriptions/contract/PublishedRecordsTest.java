package com.example.subscriptions.contract;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.contract.PublishedRecords.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The harness's contract check on records made by hand: it passes what the service sends, names what it must not. */
class PublishedRecordsTest {

    private static final String EVENT = "{\"commandId\":\"c-1\",\"type\":\"subscribe\",\"email\":\"a@example.com\","
            + "\"outcome\":\"SUBSCRIBED\",\"at\":\"2026-11-24T23:06:26.520Z\"}";
    private static final String REPLY = "{\"email\":\"a@example.com\",\"message\":null,\"subscribed\":false,"
            + "\"numberOfEmailsSent\":0,\"status\":\"NOT_FOUND\"}";

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static ConsumerRecord<byte[], byte[]> record(
            String topic, String key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(
                topic,
                2,
                17L,
                ConsumerRecord.NO_TIMESTAMP,
                TimestampType.NO_TIMESTAMP_TYPE,
                ConsumerRecord.NULL_SIZE,
                ConsumerRecord.NULL_SIZE,
                bytes(key),
                value,
                headers,
                Optional.empty());
    }

    private static RecordHeaders deadLetterHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("dlt-original-topic", bytes("subscription-commands-x1"));
        headers.add("dlt-original-partition", bytes("0"));
        headers.add("dlt-original-offset", bytes("42"));
        headers.add("dlt-reason", bytes("value is not JSON"));
        return headers;
    }

    @Test
    void theKindOfATopicFollowsTheLongestDefaultNameItStartsWith() {
        assertEquals(Kind.EVENT, PublishedRecords.kindOf("subscription-events"));
        assertEquals(Kind.EVENT, PublishedRecords.kindOf("subscription-events-ab12cd34"));
        assertEquals(Kind.DEAD_LETTER, PublishedRecords.kindOf("subscription-commands-dlt-ab12cd34"));
        assertEquals(Kind.DEAD_LETTER, PublishedRecords.kindOf("subscription-details-requests-dlt"));
        assertEquals(Kind.REPLY, PublishedRecords.kindOf("subscription-details-replies-custom-ab12cd34"));
        assertEquals(Kind.NOT_THE_SERVICES, PublishedRecords.kindOf("subscription-commands-ab12cd34"));
        assertEquals(Kind.SUPPRESSION, PublishedRecords.kindOf("subscription-suppressions-ab12cd34"));
        assertThrows(IllegalArgumentException.class, () -> PublishedRecords.kindOf("my-replies"));
        assertThrows(IllegalArgumentException.class, () -> PublishedRecords.kindOf("subscription-eventsx"));
    }

    @Test
    void anEventAsTheServiceSendsItConforms() {
        assertDoesNotThrow(() -> PublishedRecords.assertConforms(
                record("subscription-events-x1", "a@example.com", bytes(EVENT), new RecordHeaders())));
    }

    @Test
    void anEventThatBreaksItsSchemaFailsNamingTheRecordAndTheViolation() {
        String bad = EVENT.replace("SUBSCRIBED", "DONE");
        AssertionFailedError failure = assertThrows(
                AssertionFailedError.class,
                () -> PublishedRecords.assertConforms(
                        record("subscription-events-x1", "a@example.com", bytes(bad), new RecordHeaders())));
        assertTrue(failure.getMessage().contains("subscription-events-x1-2@17"), failure.getMessage());
        assertTrue(failure.getMessage().contains("/outcome"), failure.getMessage());
    }

    @Test
    void anAppliedCommandsEventMustBeKeyedByItsEmail() {
        assertThrows(
                AssertionFailedError.class,
                () -> PublishedRecords.assertConforms(record(
                        "subscription-events-x1", "someone-else@example.com", bytes(EVENT), new RecordHeaders())));
    }

    @Test
    void aReplyWithItsBinaryCorrelationIdConformsAndAnyOtherHeaderDoesNot() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("kafka_correlationId", new byte[] {(byte) 0xFF, 0, (byte) 0xC3, 0x28});
        assertDoesNotThrow(() -> PublishedRecords.assertConforms(
                record("subscription-details-replies-x1", "a@example.com", bytes(REPLY), headers)));
        headers.add("stray", bytes("x"));
        assertThrows(
                AssertionFailedError.class,
                () -> PublishedRecords.assertConforms(
                        record("subscription-details-replies-x1", "a@example.com", bytes(REPLY), headers)));
    }

    @Test
    void aDeadLetterNeedsWellFormedDltHeadersWhateverItsValueAndOtherHeaders() {
        RecordHeaders headers = deadLetterHeaders();
        headers.add("blob", new byte[200_000]);
        headers.add("binary", new byte[] {(byte) 0xFF});
        assertDoesNotThrow(() -> PublishedRecords.assertConforms(
                record("subscription-commands-dlt-x1", null, new byte[] {(byte) 0xC3, 0x28}, headers)));

        RecordHeaders noReason = deadLetterHeaders();
        noReason.remove("dlt-reason");
        assertThrows(
                AssertionFailedError.class,
                () -> PublishedRecords.assertConforms(record("subscription-commands-dlt-x1", "k", null, noReason)));

        RecordHeaders badOffset = deadLetterHeaders();
        badOffset.remove("dlt-original-offset");
        badOffset.add("dlt-original-offset", bytes("-1"));
        assertThrows(
                AssertionFailedError.class,
                () -> PublishedRecords.assertConforms(
                        record("subscription-details-requests-dlt-x1", "k", null, badOffset)));
    }
}
