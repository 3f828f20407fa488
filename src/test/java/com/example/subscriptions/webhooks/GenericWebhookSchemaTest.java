package com.example.subscriptions.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.contract.ContractSchemas;
import com.example.subscriptions.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generic webhook's published schema, the parser and the README say the same. */
class GenericWebhookSchemaTest {

    private static String schema() throws IOException {
        try (InputStream in =
                GenericWebhookSchemaTest.class.getResourceAsStream("/contract/generic-webhook.schema.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> violations(String body) throws IOException {
        return ContractSchemas.violations(schema(), body);
    }

    @Test
    void theSchemasExamplesConformAndTheParserReadsThem() throws Exception {
        JsonNode examples = Json.MAPPER.readTree(schema()).get("examples");
        assertEquals(2, examples.size());
        for (JsonNode example : examples) {
            assertEquals(List.of(), violations(example.toString()), example.toString());
            GenericReports.parse(example.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void theReadmeShowsTheSchemasListExample() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("**Any other provider: `POST /webhooks/generic`**");
        int start = readme.indexOf("```text\n", section) + "```text\n".length();
        String shown = readme.substring(start, readme.indexOf("```", start));
        assertEquals(Json.MAPPER.readTree(schema()).get("examples").get(1), Json.MAPPER.readTree(shown));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "[]",
                "{\"type\":\"bounce\"}",
                "{\"type\":\"unsubscribe\",\"email\":\"b@example.com\"}",
                "{\"type\":\"bounce\",\"email\":\"b@example.com\",\"diagnostic\":5}",
                "{\"type\":\"bounce\",\"email\":\"b@example.com\",\"id\":\"a b\"}",
                "{\"type\":\"bounce\",\"email\":\"no-at-sign\"}",
                "\"bounce\""
            })
    void whatTheSchemaRefusesTheParserRefuses(String body) throws Exception {
        assertTrue(!violations(body).isEmpty(), body);
        assertThrows(GenericReports.Invalid.class, () -> GenericReports.parse(body.getBytes(StandardCharsets.UTF_8)));
    }
}
