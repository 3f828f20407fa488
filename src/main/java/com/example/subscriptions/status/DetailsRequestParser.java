package com.example.subscriptions.status;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.core.JsonInput;
import com.example.subscriptions.core.Utf8;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Reads a details request: value {@code {"email": "...", "requestId": "...", "replyTo": "..."}}, headers
 * {@code kafka_correlationId}, {@code kafka_replyTopic}, {@code kafka_replyPartition} (Spring Kafka's) and
 * {@code deadline} (epoch milliseconds).
 */
public final class DetailsRequestParser {

    public static final String CORRELATION_ID = "kafka_correlationId";
    public static final String REPLY_TOPIC = "kafka_replyTopic";
    public static final String REPLY_PARTITION = "kafka_replyPartition";
    public static final String DEADLINE = "deadline";

    private final String defaultReplyTopic;

    public DetailsRequestParser(String defaultReplyTopic) {
        this.defaultReplyTopic = defaultReplyTopic;
    }

    public ParsedRequest parse(ConsumerRecord<byte[], byte[]> record) {
        Optional<byte[]> correlationId = header(record, CORRELATION_ID);
        OptionalLong deadline =
                header(record, DEADLINE).map(DetailsRequestParser::epochMillis).orElse(OptionalLong.empty());
        Optional<String> headerTopic = header(record, REPLY_TOPIC)
                .flatMap(Utf8::decode)
                .map(String::strip)
                .filter(topic -> !topic.isEmpty());
        Optional<byte[]> partitionBytes = header(record, REPLY_PARTITION);
        Optional<Integer> partition = partitionBytes
                .filter(bytes -> bytes.length == 4)
                .map(bytes -> ByteBuffer.wrap(bytes).getInt());

        Body body = Body.read(record.value());
        String topic = headerTopic.or(() -> body.replyTo).orElse(defaultReplyTopic);
        ReplyRoute route = new ReplyRoute(topic, partition, correlationId);

        String problem = body.problem;
        if (problem == null && header(record, REPLY_TOPIC).isPresent() && headerTopic.isEmpty()) {
            problem = "header " + REPLY_TOPIC + " is not a UTF-8 topic name";
        }
        if (problem == null && partitionBytes.isPresent() && partition.isEmpty()) {
            problem = "header " + REPLY_PARTITION + " must be a 4-byte big-endian int, was "
                    + partitionBytes.get().length + " bytes";
        }
        if (problem == null && partition.isPresent() && partition.get() < 0) {
            problem = "header " + REPLY_PARTITION + " must not be negative, was " + partition.get();
        }
        if (problem != null) {
            return new ParsedRequest.Invalid(problem, route, body.requestId, deadline);
        }
        EmailAddress.Parsed email = EmailAddress.parse(body.email);
        if (email instanceof EmailAddress.Parsed.Invalid invalid) {
            return new ParsedRequest.Invalid("invalid email: " + invalid.reason(), route, body.requestId, deadline);
        }
        return new ParsedRequest.Valid(((EmailAddress.Parsed.Valid) email).email(), route, body.requestId, deadline);
    }

    private static Optional<byte[]> header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? Optional.empty() : Optional.of(header.value());
    }

    /** Epoch milliseconds as decimal text, or as an 8-byte big-endian long. */
    private static OptionalLong epochMillis(byte[] value) {
        Optional<String> text = Utf8.decode(value).map(String::strip);
        if (text.isPresent() && text.get().matches("\\d{1,18}")) {
            return OptionalLong.of(Long.parseLong(text.get()));
        }
        if (value.length == 8) {
            return OptionalLong.of(ByteBuffer.wrap(value).getLong());
        }
        return OptionalLong.empty();
    }

    /** The request's JSON body, or the first thing wrong with it. */
    private record Body(String email, Optional<String> requestId, Optional<String> replyTo, String problem) {

        static Body read(byte[] value) {
            JsonInput.Parsed parsed = JsonInput.object(value, "{\"email\": \"alice@example.com\"}");
            if (parsed instanceof JsonInput.Parsed.Invalid invalid) {
                return invalid(invalid.reason());
            }
            JsonNode json = ((JsonInput.Parsed.Valid) parsed).json();
            Optional<String> requestId = text(json, "requestId");
            Optional<String> replyTo = text(json, "replyTo").map(String::strip).filter(t -> !t.isEmpty());
            JsonNode email = json.get("email");
            String problem = null;
            if (email == null || email.isNull()) {
                problem = "missing field 'email'";
            } else if (!email.isTextual()) {
                problem = "field 'email' must be a string";
            } else if (json.has("requestId")
                    && !json.get("requestId").isTextual()
                    && !json.get("requestId").isNull()) {
                problem = "field 'requestId' must be a string";
            }
            return new Body(email != null && email.isTextual() ? email.asText() : null, requestId, replyTo, problem);
        }

        private static Optional<String> text(JsonNode json, String field) {
            JsonNode node = json.get(field);
            return node != null && node.isValueNode() && !node.isNull() ? Optional.of(node.asText()) : Optional.empty();
        }

        private static Body invalid(String problem) {
            return new Body(null, Optional.empty(), Optional.empty(), problem);
        }
    }
}
