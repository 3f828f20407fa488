package com.example.subscriptions.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Copies of records that cannot be handled: key, value and headers intact, plus where they came from and why. */
public final class DeadLetters {

    public static final String ORIGINAL_TOPIC = "dlt-original-topic";
    public static final String ORIGINAL_PARTITION = "dlt-original-partition";
    public static final String ORIGINAL_OFFSET = "dlt-original-offset";
    public static final String REASON = "dlt-reason";
    /** Set when the original headers had to be left out because the copy was too large to publish. */
    public static final String HEADERS_DROPPED = "dlt-headers-dropped";
    /**
     * How many times an operator re-published the record from a dead letter topic (decimal, UTF-8). It travels with
     * the record like any of its headers, so a copy dead-lettered again still carries it: the redrive tool leaves a
     * record alone once it reaches its limit, and a record that can never succeed stops going round.
     */
    public static final String REDRIVE_COUNT = "dlt-redrive-count";

    private DeadLetters() {}

    static ProducerRecord<byte[], byte[]> copy(
            String topic, ConsumerRecord<byte[], byte[]> original, String reason, boolean keepHeaders) {
        Headers headers = new RecordHeaders();
        if (keepHeaders) {
            original.headers().forEach(headers::add);
        } else {
            headers.add(HEADERS_DROPPED, utf8("the original headers made the record too large"));
        }
        headers.add(ORIGINAL_TOPIC, utf8(original.topic()));
        headers.add(ORIGINAL_PARTITION, utf8(Integer.toString(original.partition())));
        headers.add(ORIGINAL_OFFSET, utf8(Long.toString(original.offset())));
        headers.add(REASON, utf8(reason));
        return new ProducerRecord<>(topic, null, original.key(), original.value(), headers);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
