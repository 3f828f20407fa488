package com.example.subscriptions.command;

import com.example.subscriptions.core.JsonInput;
import com.example.subscriptions.suppression.ReportSource;
import com.example.subscriptions.suppression.SuppressionReason;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The command types, by wire name, each with the reader of its own fields. A new type is one entry here. */
final class CommandReaders {

    private static final Map<String, CommandReader> BY_TYPE = byType();

    private CommandReaders() {}

    private static Map<String, CommandReader> byType() {
        Map<String, CommandReader> readers = new LinkedHashMap<>();
        readers.put(Command.Subscribe.TYPE, (json, email, commandId) -> new Command.Subscribe(email, commandId));
        readers.put(Command.Unsubscribe.TYPE, (json, email, commandId) -> new Command.Unsubscribe(email, commandId));
        readers.put(Command.Confirm.TYPE, (json, email, commandId) -> new Command.Confirm(email, commandId));
        for (SuppressionReason reason : SuppressionReason.values()) {
            readers.put(
                    reason.wireName(),
                    (json, email, commandId) ->
                            new Command.Suppress(email, commandId, reason, source(json), diagnostic(json)));
        }
        readers.put(Command.Unsuppress.TYPE, (json, email, commandId) -> new Command.Unsuppress(email, commandId));
        readers.put(Command.Erase.TYPE, (json, email, commandId) -> new Command.Erase(email, commandId));
        return Collections.unmodifiableMap(readers);
    }

    /** The reader of a type, by its normalised wire name. */
    static Optional<CommandReader> of(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    /** "subscribe, unsubscribe, ... or unsuppress", for messages. */
    static String typeList() {
        return inWords(new ArrayList<>(BY_TYPE.keySet()));
    }

    private static ReportSource source(JsonNode json) {
        JsonNode node = json.get("source");
        if (node == null || node.isNull()) {
            throw new CommandReader.InvalidField("missing field 'source' (" + inWords(ReportSource.wireNames()) + ")");
        }
        if (!node.isTextual()) {
            throw new CommandReader.InvalidField("field 'source' must be a string, was " + JsonInput.kind(node));
        }
        return ReportSource.ofWireName(node.asText())
                .orElseThrow(() -> new CommandReader.InvalidField("unknown source '" + node.asText() + "', expected "
                        + inWords(ReportSource.wireNames()) + " (lower case)"));
    }

    private static Optional<String> diagnostic(JsonNode json) {
        JsonNode node = json.get("diagnostic");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new CommandReader.InvalidField("field 'diagnostic' must be a string, was " + JsonInput.kind(node));
        }
        String text = node.asText();
        int length = text.codePointCount(0, text.length());
        if (length > Command.Suppress.MAX_DIAGNOSTIC) {
            throw new CommandReader.InvalidField(
                    "field 'diagnostic' is " + length + " characters, over " + Command.Suppress.MAX_DIAGNOSTIC);
        }
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    private static String inWords(List<String> names) {
        return names.size() == 1
                ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
