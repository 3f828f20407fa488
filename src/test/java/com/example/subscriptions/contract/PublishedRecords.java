package com.example.subscriptions.contract;

import static org.junit.jupiter.api.Assertions.fail;

import com.example.subscriptions.config.Settings;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.core.Utf8;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Holds a record the service published, as a test reads it back from Kafka, to the contract: an event or a reply
 * to its payload schema, a reply's headers and every dead letter's headers to the header schemas of
 * {@code docs/asyncapi.yaml}, and keys to what the document says. A record that does not conform fails the test,
 * naming the record and the violations.
 */
public final class PublishedRecords {

    /** What the service publishes on a topic. */
    public enum Kind {
        EVENT,
        REPLY,
        DEAD_LETTER,
        SUPPRESSION,
        NOT_THE_SERVICES
    }

    private static final Map<String, Kind> BY_SETTING = Map.of(
            "topics.commands", Kind.NOT_THE_SERVICES,
            "topics.details-requests", Kind.NOT_THE_SERVICES,
            "topics.events", Kind.EVENT,
            "topics.details-replies", Kind.REPLY,
            "topics.commands-dlt", Kind.DEAD_LETTER,
            "topics.details-requests-dlt", Kind.DEAD_LETTER,
            "topics.suppressions", Kind.SUPPRESSION);

    private static final HeaderSchema REPLY_HEADERS = HeaderSchema.of("detailsReplyHeaders");
    private static final HeaderSchema DEAD_LETTER_HEADERS = HeaderSchema.of("deadLetterHeaders");

    private PublishedRecords() {}

    /**
     * What is published on {@code topic}, named as the tests name topics: a default topic name, alone or followed
     * by {@code -suffix} (the longest default that fits wins, so {@code subscription-commands-dlt-x} is a dead letter
     * topic).
     */
    public static Kind kindOf(String topic) {
        String setting = null;
        int longest = -1;
        for (Map.Entry<String, Kind> entry : BY_SETTING.entrySet()) {
            String name = Settings.DEFAULTS.get(entry.getKey());
            if ((topic.equals(name) || topic.startsWith(name + "-")) && name.length() > longest) {
                setting = entry.getKey();
                longest = name.length();
            }
        }
        if (setting == null) {
            throw new IllegalArgumentException("Cannot tell what the service publishes on topic " + topic
                    + ": name it as the fixtures do (a default topic name, or one followed by -suffix)");
        }
        return BY_SETTING.get(setting);
    }

    /** Fails unless {@code record} is what the contract says the service publishes on its topic. */
    public static void assertConforms(ConsumerRecord<byte[], byte[]> record) {
        List<String> violations = switch (kindOf(record.topic())) {
            case EVENT -> eventViolations(record);
            case REPLY -> replyViolations(record);
            case DEAD_LETTER ->
                ContractSchemas.violations(DEAD_LETTER_HEADERS.json(), headers(record, DEAD_LETTER_HEADERS));
            case SUPPRESSION -> suppressionViolations(record);
            case NOT_THE_SERVICES -> List.of();
        };
        if (!violations.isEmpty()) {
            fail("Record " + record.topic() + "-" + record.partition() + "@" + record.offset() + " (key "
                    + text(record.key()) + ") breaks the contract: " + violations + "\n  value: "
                    + abbreviated(text(record.value()))
                    + "\n  headers: " + headerNames(record));
        }
    }

    private static List<String> eventViolations(ConsumerRecord<byte[], byte[]> record) {
        Optional<String> value = utf8(record.value());
        if (value.isEmpty()) {
            return List.of("the value is not UTF-8 text");
        }
        List<String> violations = ContractSchemas.violations(Payload.EVENT, value.get());
        if (violations.isEmpty()) {
            JsonNode event = read(value.get());
            if (!event.path("outcome").asText().equals("REJECTED")
                    && !Objects.equals(event.path("email").asText(), text(record.key()))) {
                return List.of("the key is not the event's email");
            }
        }
        return violations;
    }

    /** A suppression, or a tombstone lifting one; keyed by the workflow id (the email, in the tests). */
    private static List<String> suppressionViolations(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null || utf8(record.key()).isEmpty()) {
            return List.of("the key is not a workflow id in UTF-8");
        }
        if (record.value() == null) {
            return List.of();
        }
        Optional<String> value = utf8(record.value());
        return value.isEmpty()
                ? List.of("the value is not UTF-8 text")
                : ContractSchemas.violations(Payload.SUPPRESSION, value.get());
    }

    private static List<String> replyViolations(ConsumerRecord<byte[], byte[]> record) {
        Optional<String> value = utf8(record.value());
        if (value.isEmpty()) {
            return List.of("the value is not UTF-8 text");
        }
        List<String> violations = new ArrayList<>(ContractSchemas.violations(Payload.DETAILS_REPLY, value.get()));
        violations.addAll(ContractSchemas.violations(REPLY_HEADERS.json(), headers(record, REPLY_HEADERS)));
        if (violations.isEmpty()
                && !Objects.equals(read(value.get()).path("email").asText(null), text(record.key()))) {
            violations.add("the key is not the reply's email");
        }
        return violations;
    }

    /**
     * The record's headers as a JSON object, the last value of each name: as UTF-8 text where the header schema
     * describes the header and its bytes are UTF-8, else null. The schema says nothing of the other headers' bytes
     * (only whether they may be there), and some tests send headers of 200 KB.
     */
    private static String headers(ConsumerRecord<byte[], byte[]> record, HeaderSchema schema) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        for (Header header : record.headers()) {
            Optional<String> value =
                    schema.described().contains(header.key()) ? utf8(header.value()) : Optional.empty();
            value.ifPresentOrElse(text -> json.put(header.key(), text), () -> json.putNull(header.key()));
        }
        return json.toString();
    }

    /** A header schema of the AsyncAPI document, with the header names it describes. */
    private record HeaderSchema(String json, Set<String> described) {

        static HeaderSchema of(String name) {
            String json = AsyncApiDocument.componentSchema(name);
            Set<String> described = new HashSet<>();
            read(json).path("properties").fieldNames().forEachRemaining(described::add);
            return new HeaderSchema(json, Set.copyOf(described));
        }
    }

    private static List<String> headerNames(ConsumerRecord<byte[], byte[]> record) {
        List<String> names = new ArrayList<>();
        record.headers().forEach(header -> names.add(header.key() + "=" + abbreviated(text(header.value()))));
        return names;
    }

    private static String abbreviated(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    private static Optional<String> utf8(byte[] bytes) {
        return bytes == null ? Optional.empty() : Utf8.decode(bytes);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : utf8(bytes).orElse("(" + bytes.length + " bytes, not UTF-8)");
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("validated JSON that does not read: " + json, e);
        }
    }
}
