package com.example.subscriptions.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.example.subscriptions.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every JSON message the README shows conforms to its schema: the fenced {@code json} blocks, and the JSON on the
 * lines of its shell examples (what kcat and the console producer send and print). Which message an example is
 * follows from its fields.
 */
class ReadmeExamplesTest {

    private static final Path README = Path.of(System.getProperty("basedir", "."), "README.md");
    private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\n(.*?)^```", Pattern.MULTILINE | Pattern.DOTALL);

    /** One JSON text found in the README, with the line it starts on. */
    record Example(int line, String json) {}

    static List<Example> examples() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        List<Example> found = new ArrayList<>();
        Matcher fence = FENCE.matcher(readme);
        while (fence.find()) {
            int firstLine = lineOf(readme, fence.start(2));
            String language = fence.group(1);
            String body = fence.group(2);
            if (language.equals("json")) {
                found.add(new Example(firstLine, body));
            } else if (language.equals("sh")) {
                String[] lines = body.split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    int open = lines[i].indexOf('{');
                    int close = lines[i].lastIndexOf('}');
                    if (open >= 0 && close > open) {
                        found.add(new Example(firstLine + i, lines[i].substring(open, close + 1)));
                    }
                }
            }
        }
        return found;
    }

    private static int lineOf(String text, int index) {
        return (int) text.substring(0, index).chars().filter(c -> c == '\n').count() + 1;
    }

    /** Which message an example is, from its fields. */
    static Payload payloadOf(JsonNode json) {
        if (json.has("outcome")) {
            return Payload.EVENT;
        }
        if (json.has("reason") && json.has("source")) {
            return Payload.SUPPRESSION;
        }
        if (json.has("status")) {
            return Payload.DETAILS_REPLY;
        }
        if (json.has("type")) {
            return Payload.COMMAND;
        }
        if (json.has("email")) {
            return Payload.DETAILS_REQUEST;
        }
        throw new IllegalArgumentException("not a message of the contract: " + json);
    }

    @Test
    void everyJsonExampleInTheReadmeConformsToItsSchema() throws IOException {
        List<Example> examples = examples();
        Set<Payload> shown = EnumSet.noneOf(Payload.class);
        List<String> failures = new ArrayList<>();
        for (Example example : examples) {
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(example.json());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                failures.add("README.md:" + example.line() + " is not JSON: " + e.getOriginalMessage());
                continue;
            }
            Payload payload = payloadOf(json);
            shown.add(payload);
            List<String> violations = ContractSchemas.violations(payload, example.json());
            if (!violations.isEmpty()) {
                failures.add("README.md:" + example.line() + " as " + payload.fileName() + ": " + violations);
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
        assertEquals(EnumSet.allOf(Payload.class), shown, "the README shows every message of the contract");
        assertTrue(examples.size() >= 8, "found only " + examples.size() + " examples: is the extraction broken?");
    }
}
