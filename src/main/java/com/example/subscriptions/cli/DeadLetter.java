package com.example.subscriptions.cli;

import com.example.subscriptions.kafka.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** One record of a dead letter topic, as the service wrote it: the original record plus where it came from and why. */
record DeadLetter(ConsumerRecord<byte[], byte[]> record) {

    /** The headers the service adds to a dead letter; a redrive takes them off again. */
    private static final Set<String> DEAD_LETTER_HEADERS = Set.of(
            DeadLetters.ORIGINAL_TOPIC,
            DeadLetters.ORIGINAL_PARTITION,
            DeadLetters.ORIGINAL_OFFSET,
            DeadLetters.REASON,
            DeadLetters.HEADERS_DROPPED,
            DeadLetters.REDRIVE_COUNT);

    String originalTopic() {
        return header(DeadLetters.ORIGINAL_TOPIC);
    }

    String reason() {
        String reason = header(DeadLetters.REASON);
        return reason == null ? "(no reason given)" : reason;
    }

    /** Times an operator re-published it before it came back here; a missing or unreadable count is 0. */
    int redriveCount() {
        String count = header(DeadLetters.REDRIVE_COUNT);
        try {
            return count == null ? 0 : Math.max(0, Integer.parseInt(count.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    boolean headersDropped() {
        return header(DeadLetters.HEADERS_DROPPED) != null;
    }

    Instant deadLetteredAt() {
        return Instant.ofEpochMilli(record.timestamp());
    }

    /** Where the original record was: {@code topic-partition@offset}. */
    String origin() {
        return originalTopic() + "-" + header(DeadLetters.ORIGINAL_PARTITION) + "@"
                + header(DeadLetters.ORIGINAL_OFFSET);
    }

    String position() {
        return record.partition() + "@" + record.offset();
    }

    /**
     * The original record again, for its original topic: its key, value and headers, the dead letter's own headers
     * taken off, and the redrive count one higher. Partitioned by its key, as the original was.
     */
    ProducerRecord<byte[], byte[]> redriven() {
        Headers headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!DEAD_LETTER_HEADERS.contains(header.key())) {
                headers.add(header);
            }
        }
        headers.add(DeadLetters.REDRIVE_COUNT, utf8(Integer.toString(redriveCount() + 1)));
        return new ProducerRecord<>(originalTopic(), null, record.key(), record.value(), headers);
    }

    /** The letter as a JSON-ready map, for {@code --json}. */
    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("partition", record.partition());
        map.put("offset", record.offset());
        map.put("deadLetteredAt", deadLetteredAt().toString());
        map.put("key", text(record.key()));
        map.put("originalTopic", originalTopic());
        map.put(
                "originalPartition",
                intHeader(DeadLetters.ORIGINAL_PARTITION).isPresent()
                        ? intHeader(DeadLetters.ORIGINAL_PARTITION).getAsInt()
                        : null);
        map.put("originalOffset", header(DeadLetters.ORIGINAL_OFFSET));
        map.put("reason", reason());
        map.put("redriveCount", redriveCount());
        map.put("headersDropped", headersDropped());
        return map;
    }

    /** One line: where it is, when it came, its key, where it came from, how often redriven, and why. */
    String describe() {
        return position() + "  " + deadLetteredAt() + "  key " + text(record.key()) + "  from " + origin()
                + (redriveCount() > 0 ? "  redriven " + redriveCount() + "x" : "")
                + (headersDropped() ? "  (original headers dropped)" : "") + "  " + reason();
    }

    private OptionalInt intHeader(String name) {
        try {
            String value = header(name);
            return value == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private String header(String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "(none)" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
