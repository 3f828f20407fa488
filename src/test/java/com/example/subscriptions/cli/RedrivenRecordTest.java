package com.example.subscriptions.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.example.subscriptions.kafka.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** What a redrive re-publishes from a dead letter, without a broker. */
class RedrivenRecordTest {

    private static DeadLetter letter(String... headers) {
        RecordHeaders recordHeaders = new RecordHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            recordHeaders.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return new DeadLetter(new ConsumerRecord<>(
                "subscription-commands-dlt",
                1,
                7,
                1_795_000_000_000L,
                TimestampType.CREATE_TIME,
                -1,
                -1,
                bytes("alice@example.com"),
                bytes("{\"type\":\"subscribe\"}"),
                recordHeaders,
                java.util.Optional.empty()));
    }

    @Test
    void theOriginalRecordGoesBackToItsTopicWithItsKeyValueAndOwnHeadersAndACountOfOne() {
        DeadLetter letter = letter(
                "traceparent",
                "00-abc-def-01",
                DeadLetters.ORIGINAL_TOPIC,
                "subscription-commands",
                DeadLetters.ORIGINAL_PARTITION,
                "2",
                DeadLetters.ORIGINAL_OFFSET,
                "17",
                DeadLetters.REASON,
                "record is 20127 bytes, over the limit of 16384");
        ProducerRecord<byte[], byte[]> redriven = letter.redriven();
        assertEquals("subscription-commands", redriven.topic());
        assertNull(redriven.partition(), "partitioned by its key, as the original was");
        assertArrayEquals(bytes("alice@example.com"), redriven.key());
        assertArrayEquals(bytes("{\"type\":\"subscribe\"}"), redriven.value());
        assertEquals(List.of("traceparent=00-abc-def-01", DeadLetters.REDRIVE_COUNT + "=1"), headers(redriven));
        assertEquals("subscription-commands-2@17", letter.origin());
        assertEquals(0, letter.redriveCount());
    }

    @Test
    void aLetterThatCameBackCountsOneMoreAndCarriesOneCount() {
        DeadLetter letter = letter(
                DeadLetters.REDRIVE_COUNT, "2",
                DeadLetters.ORIGINAL_TOPIC, "subscription-commands",
                DeadLetters.REASON, "value is not JSON");
        assertEquals(2, letter.redriveCount());
        assertEquals(List.of(DeadLetters.REDRIVE_COUNT + "=3"), headers(letter.redriven()));
    }

    @Test
    void anUnreadableCountIsZeroAndAMissingReasonSaysSo() {
        DeadLetter letter = letter(DeadLetters.REDRIVE_COUNT, "many", DeadLetters.ORIGINAL_TOPIC, "t");
        assertEquals(0, letter.redriveCount());
        assertEquals("(no reason given)", letter.reason());
        assertNull(letter(DeadLetters.REASON, "x").originalTopic(), "not a dead letter of this service");
    }

    private static List<String> headers(ProducerRecord<byte[], byte[]> record) {
        List<String> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(header.key() + "=" + new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
