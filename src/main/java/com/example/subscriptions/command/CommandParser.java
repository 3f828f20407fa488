package com.example.subscriptions.command;

import com.example.subscriptions.core.EmailAddress;
import com.example.subscriptions.core.JsonInput;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a command record: UTF-8 JSON {@code {"type": "subscribe"|"unsubscribe", "email": "...", "commandId": "..."}},
 * {@code type} case-insensitive, unknown fields ignored. Every way a record can be wrong has its own reason.
 */
public final class CommandParser {

    private static final String EXAMPLE = "{\"type\": \"subscribe\", \"email\": \"alice@example.com\"}";

    private final int maxRecordBytes;

    public CommandParser(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    public ParsedCommand parse(ConsumerRecord<byte[], byte[]> record) {
        String fallbackId = record.topic() + "-" + record.partition() + "-" + record.offset();
        byte[] value = record.value();
        int size = value == null ? 0 : value.length + (record.key() == null ? 0 : record.key().length);
        if (size > maxRecordBytes) {
            return rejected("record is " + size + " bytes, over the limit of " + maxRecordBytes, fallbackId);
        }
        JsonInput.Parsed json = JsonInput.object(value, EXAMPLE);
        if (json instanceof JsonInput.Parsed.Invalid invalid) {
            return rejected(invalid.reason(), fallbackId);
        }
        return parseObject(((JsonInput.Parsed.Valid) json).json(), fallbackId);
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
                    "field 'commandId' must be a string, was " + JsonInput.kind(commandIdNode),
                    fallbackId,
                    knownType,
                    rawEmail);
        }
        String commandId = commandIdNode == null
                        || commandIdNode.isNull()
                        || commandIdNode.asText().isBlank()
                ? fallbackId
                : commandIdNode.asText();
        if (typeNode == null || typeNode.isNull()) {
            return new ParsedCommand.Rejected(
                    "missing field 'type' (subscribe or unsubscribe)", commandId, null, rawEmail);
        }
        if (type == null) {
            return new ParsedCommand.Rejected(
                    "field 'type' must be a string, was " + JsonInput.kind(typeNode), commandId, null, rawEmail);
        }
        String normalisedType = type.strip().toLowerCase(Locale.ROOT);
        if (!normalisedType.equals(Command.Subscribe.TYPE) && !normalisedType.equals(Command.Unsubscribe.TYPE)) {
            return new ParsedCommand.Rejected(
                    "unknown type '" + type + "', expected subscribe or unsubscribe", commandId, type, rawEmail);
        }
        if (emailNode == null || emailNode.isNull()) {
            return new ParsedCommand.Rejected("missing field 'email'", commandId, normalisedType, null);
        }
        if (rawEmail == null) {
            return new ParsedCommand.Rejected(
                    "field 'email' must be a string, was " + JsonInput.kind(emailNode),
                    commandId,
                    normalisedType,
                    null);
        }
        EmailAddress.Parsed email = EmailAddress.parse(rawEmail);
        if (email instanceof EmailAddress.Parsed.Invalid invalid) {
            return new ParsedCommand.Rejected(
                    "invalid email: " + invalid.reason(), commandId, normalisedType, rawEmail);
        }
        EmailAddress valid = ((EmailAddress.Parsed.Valid) email).email();
        return new ParsedCommand.Valid(
                normalisedType.equals(Command.Subscribe.TYPE)
                        ? new Command.Subscribe(valid, commandId)
                        : new Command.Unsubscribe(valid, commandId));
    }

    private static ParsedCommand rejected(String reason, String commandId) {
        return new ParsedCommand.Rejected(reason, commandId, null, null);
    }
}
