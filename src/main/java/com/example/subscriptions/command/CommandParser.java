package com.example.subscriptions.command;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.core.Json;
import com.example.subscriptions.core.Utf8;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a command record: UTF-8 JSON {@code {"type": "subscribe", "email": "...", "commandId": "..."}} and the fields
 * of its type ({@link CommandReaders}), {@code type} case-insensitive, unknown fields ignored. Every way a record can
 * be wrong has its own reason.
 */
public final class CommandParser {

    private final int maxRecordBytes;

    public CommandParser(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    public ParsedCommand parse(ConsumerRecord<byte[], byte[]> record) {
        String fallbackId = record.topic() + "-" + record.partition() + "-" + record.offset();
        byte[] value = record.value();
        if (value == null) {
            return rejected("value is null (a tombstone), expected a JSON command", fallbackId);
        }
        int size = value.length + (record.key() == null ? 0 : record.key().length);
        if (size > maxRecordBytes) {
            return rejected("record is " + size + " bytes, over the limit of " + maxRecordBytes, fallbackId);
        }
        Optional<String> text = Utf8.decode(value);
        if (text.isEmpty()) {
            return rejected("value is not valid UTF-8", fallbackId);
        }
        if (text.get().isBlank()) {
            return rejected("value is empty, expected a JSON command", fallbackId);
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(text.get());
        } catch (JsonProcessingException e) {
            return rejected("value is not JSON: " + e.getOriginalMessage(), fallbackId);
        }
        if (json == null || !json.isObject()) {
            return rejected(
                    "value must be a JSON object like {\"type\": \"subscribe\", \"email\": "
                            + "\"alice@example.com\"}, was " + kind(json),
                    fallbackId);
        }
        return parseObject(json, fallbackId);
    }

    private ParsedCommand parseObject(JsonNode json, String fallbackId) {
        JsonNode typeNode = json.get("type");
        JsonNode emailNode = json.get("email");
        String type = typeNode != null && typeNode.isTextual() ? typeNode.asText() : null;
        String rawEmail = emailNode != null && emailNode.isTextual() ? emailNode.asText() : null;
        JsonNode commandIdNode = json.get("commandId");
        if (commandIdNode != null && !commandIdNode.isNull() && !commandIdNode.isTextual()) {
            String knownType = type == null ? null : type.strip().toLowerCase(Locale.ROOT);
            return new ParsedCommand.Rejected(
                    "field 'commandId' must be a string, was " + kind(commandIdNode), fallbackId, knownType, rawEmail);
        }
        String commandId = commandIdNode == null
                        || commandIdNode.isNull()
                        || commandIdNode.asText().isBlank()
                ? fallbackId
                : commandIdNode.asText();
        if (typeNode == null || typeNode.isNull()) {
            return new ParsedCommand.Rejected(
                    "missing field 'type' (" + CommandReaders.typeList() + ")", commandId, null, rawEmail);
        }
        if (type == null) {
            return new ParsedCommand.Rejected(
                    "field 'type' must be a string, was " + kind(typeNode), commandId, null, rawEmail);
        }
        String normalisedType = type.strip().toLowerCase(Locale.ROOT);
        Optional<CommandReader> reader = CommandReaders.of(normalisedType);
        if (reader.isEmpty()) {
            return new ParsedCommand.Rejected(
                    "unknown type '" + type + "', expected " + CommandReaders.typeList(), commandId, type, rawEmail);
        }
        if (emailNode == null || emailNode.isNull()) {
            return new ParsedCommand.Rejected("missing field 'email'", commandId, normalisedType, null);
        }
        if (rawEmail == null) {
            return new ParsedCommand.Rejected(
                    "field 'email' must be a string, was " + kind(emailNode), commandId, normalisedType, null);
        }
        EmailAddress.Parsed email = EmailAddress.parse(rawEmail);
        if (email instanceof EmailAddress.Parsed.Invalid invalid) {
            return new ParsedCommand.Rejected(
                    "invalid email: " + invalid.reason(), commandId, normalisedType, rawEmail);
        }
        EmailAddress valid = ((EmailAddress.Parsed.Valid) email).email();
        try {
            return new ParsedCommand.Valid(reader.get().read(json, valid, commandId));
        } catch (CommandReader.InvalidField invalid) {
            return new ParsedCommand.Rejected(invalid.getMessage(), commandId, normalisedType, rawEmail);
        }
    }

    private static ParsedCommand rejected(String reason, String commandId) {
        return new ParsedCommand.Rejected(reason, commandId, null, null);
    }

    /** What a JSON value is, for messages: "a number", "an array", ... */
    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
