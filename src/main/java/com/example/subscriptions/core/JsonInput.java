package com.example.subscriptions.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Optional;

/**
 * The checks every JSON message value passes before its fields are read, with one reason for each way it can fail: a
 * value, UTF-8, JSON, one object.
 */
public final class JsonInput {

    /** A value read as a JSON object, or the first thing wrong with it. */
    public sealed interface Parsed {
        record Valid(ObjectNode json) implements Parsed {}

        record Invalid(String reason) implements Parsed {}
    }

    private JsonInput() {}

    /** @param example what the value should look like, for the reasons: {@code {"email": "alice@example.com"}} */
    public static Parsed object(byte[] value, String example) {
        if (value == null) {
            return new Parsed.Invalid("value is null (a tombstone), expected a JSON object like " + example);
        }
        Optional<String> text = Utf8.decode(value);
        if (text.isEmpty()) {
            return new Parsed.Invalid("value is not valid UTF-8");
        }
        if (text.get().isBlank()) {
            return new Parsed.Invalid("value is empty, expected a JSON object like " + example);
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(text.get());
        } catch (JsonProcessingException e) {
            return new Parsed.Invalid("value is not JSON: " + e.getOriginalMessage());
        }
        if (json instanceof ObjectNode object) {
            return new Parsed.Valid(object);
        }
        return new Parsed.Invalid("value must be a JSON object like " + example + ", was " + kind(json));
    }

    /** What a node is, for a reason: "a string", "an array", "nothing" for a missing one. */
    public static String kind(JsonNode node) {
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
