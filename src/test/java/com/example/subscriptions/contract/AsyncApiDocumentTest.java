package com.example.subscriptions.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.subscriptions.config.Settings;
import com.example.subscriptions.kafka.DeadLetters;
import com.example.subscriptions.status.DetailsRequestParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/asyncapi.yaml} is a valid AsyncAPI 3.0.0 document (by the specification's own JSON Schema), references
 * the schema files the jar ships, names exactly the service's topics, and agrees with the code on headers and groups.
 */
class AsyncApiDocumentTest {

    /** The official schema, vendored from @asyncapi/specs (see src/test/resources/asyncapi/README.md). */
    private static final String ASYNCAPI_SCHEMA = "classpath:asyncapi/asyncapi-3.0.0.schema.json";

    private static final JsonNode DOC = AsyncApiDocument.tree();

    @Test
    void isAValidAsyncApi300DocumentByTheSpecificationsJsonSchema() {
        List<String> violations = ContractSchemas.REGISTRY
                .getSchema(SchemaLocation.of(ASYNCAPI_SCHEMA))
                .validate(DOC.toString(), InputFormat.JSON)
                .stream()
                .map(Object::toString)
                .toList();
        assertTrue(violations.isEmpty(), () -> String.join("\n", violations));
        assertEquals("3.0.0", DOC.path("asyncapi").asText());
    }

    @Test
    void everyFileItReferencesExistsAndIsOneOfTheShippedSchemas() {
        Set<String> referenced = new TreeSet<>();
        collectFileRefs(DOC, referenced);
        Set<String> shipped = new TreeSet<>();
        for (Payload payload : Payload.values()) {
            shipped.add("../src/main/resources/" + payload.resource());
        }
        assertEquals(shipped, referenced, "the document references each shipped schema, and nothing else");
        for (String ref : referenced) {
            Path file = AsyncApiDocument.FILE.getParent().resolve(ref).normalize();
            assertTrue(Files.isRegularFile(file), ref + " does not exist (" + file + ")");
        }
    }

    private static void collectFileRefs(JsonNode node, Set<String> refs) {
        if (node.isObject() && node.has("$ref") && !node.get("$ref").asText().startsWith("#")) {
            refs.add(node.get("$ref").asText());
        }
        node.forEach(child -> collectFileRefs(child, refs));
    }

    @Test
    void channelsAreExactlyTheServicesTopicsPlusTheReplyTopicARequestNames() {
        Set<String> topics = Settings.DEFAULTS.entrySet().stream()
                .filter(e -> e.getKey().startsWith("topics.") && e.getValue().startsWith("subscription-"))
                .map(Map.Entry::getValue)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(6, topics.size(), "topics in Settings.DEFAULTS: " + topics);
        Set<String> addresses = new TreeSet<>();
        List<String> dynamic = new ArrayList<>();
        DOC.path("channels").properties().forEach(channel -> {
            JsonNode address = channel.getValue().path("address");
            if (address.isNull()) {
                dynamic.add(channel.getKey());
            } else {
                addresses.add(address.asText());
            }
        });
        assertEquals(topics, addresses);
        assertEquals(List.of("detailsReplyTopic"), dynamic);
        assertEquals(
                "#/channels/detailsReplyTopic",
                DOC.at("/operations/receiveDetailsRequests/reply/channel/$ref").asText());
        assertEquals(
                "$message.header#/" + DetailsRequestParser.REPLY_TOPIC,
                DOC.at("/operations/receiveDetailsRequests/reply/address/location")
                        .asText());
    }

    @Test
    void consumerGroupsAreTheDefaultGroupIds() {
        assertEquals(
                Settings.DEFAULTS.get("commands.group-id"),
                DOC.at("/operations/receiveCommands/bindings/kafka/groupId/enum/0")
                        .asText());
        assertEquals(
                Settings.DEFAULTS.get("details.group-id"),
                DOC.at("/operations/receiveDetailsRequests/bindings/kafka/groupId/enum/0")
                        .asText());
    }

    @Test
    void headersAreTheOnesTheCodeReadsAndWrites() {
        assertEquals(
                Set.of(
                        DetailsRequestParser.CORRELATION_ID,
                        DetailsRequestParser.REPLY_TOPIC,
                        DetailsRequestParser.REPLY_PARTITION,
                        DetailsRequestParser.DEADLINE),
                propertyNames("detailsRequestHeaders"));
        assertEquals(Set.of(DetailsRequestParser.CORRELATION_ID), propertyNames("detailsReplyHeaders"));
        assertEquals(
                Set.of(
                        DeadLetters.ORIGINAL_TOPIC,
                        DeadLetters.ORIGINAL_PARTITION,
                        DeadLetters.ORIGINAL_OFFSET,
                        DeadLetters.REASON,
                        DeadLetters.HEADERS_DROPPED,
                        DeadLetters.REDRIVE_COUNT),
                propertyNames("deadLetterHeaders"));
        assertEquals(
                Set.of(DeadLetters.REDRIVE_COUNT),
                DOC.at("/components/messages/command/headers/properties")
                        .propertyStream()
                        .map(java.util.Map.Entry::getKey)
                        .collect(java.util.stream.Collectors.toSet()));
    }

    private static Set<String> propertyNames(String schema) {
        Set<String> names = new HashSet<>();
        DOC.path("components")
                .path("schemas")
                .path(schema)
                .path("properties")
                .fieldNames()
                .forEachRemaining(names::add);
        return names;
    }

    @Test
    void theDocumentsMessageExamplesConformToTheirPayloadAndHeaderSchemas() {
        List<String> failures = new ArrayList<>();
        DOC.path("components").path("messages").properties().forEach(entry -> {
            JsonNode message = entry.getValue();
            String payloadRef = message.at("/payload/schema/$ref").asText("");
            String headersRef = message.at("/headers/$ref").asText("");
            for (JsonNode example : message.path("examples")) {
                String where = entry.getKey() + "/" + example.path("name").asText();
                payloadOf(payloadRef)
                        .ifPresent(payload -> ContractSchemas.violations(
                                        payload, example.path("payload").toString())
                                .forEach(v -> failures.add(where + " payload: " + v)));
                if (!headersRef.isEmpty()) {
                    String schema =
                            AsyncApiDocument.componentSchema(headersRef.substring(headersRef.lastIndexOf('/') + 1));
                    String headers =
                            example.has("headers") ? example.get("headers").toString() : "{}";
                    ContractSchemas.violations(schema, headers).forEach(v -> failures.add(where + " headers: " + v));
                }
            }
        });
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
    }

    private static java.util.Optional<Payload> payloadOf(String ref) {
        for (Payload payload : Payload.values()) {
            if (ref.endsWith("/" + payload.fileName())) {
                return java.util.Optional.of(payload);
            }
        }
        return java.util.Optional.empty();
    }
}
