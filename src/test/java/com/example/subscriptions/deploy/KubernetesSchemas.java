package com.example.subscriptions.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates Kubernetes objects against the strict schemas of {@code src/test/resources/kubernetes} (its README says
 * where they come from): an unknown field, a wrong type or a missing required field is a violation.
 */
final class KubernetesSchemas {

    private static final String RESOURCE = "kubernetes/kubernetes-strict.json";
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_4,
            builder -> builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().locale(Locale.ENGLISH).build()));
    private static final JsonNode KINDS = kinds();
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private KubernetesSchemas() {}

    /** What is wrong with {@code object}, one line per violation; empty when it conforms. */
    static List<String> violations(JsonNode object) {
        String kind =
                object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        JsonNode pointer = KINDS.get(kind);
        if (pointer == null) {
            return List.of("no schema for " + kind + ": add it to generate.py and regenerate " + RESOURCE);
        }
        Schema schema = SCHEMAS.computeIfAbsent(
                kind, k -> REGISTRY.getSchema(SchemaLocation.of("classpath:" + RESOURCE + pointer.asText())));
        return schema.validate(object.toString(), InputFormat.JSON).stream()
                .map(Error::toString)
                .toList();
    }

    private static JsonNode kinds() {
        try (InputStream in = KubernetesSchemas.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test classpath");
            }
            return new ObjectMapper().readTree(in).get("kinds");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
