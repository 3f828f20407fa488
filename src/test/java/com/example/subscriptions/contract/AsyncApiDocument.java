package com.example.subscriptions.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** {@code docs/asyncapi.yaml}, read as a JSON tree: the document the tests hold the schemas and the service to. */
public final class AsyncApiDocument {

    public static final Path FILE = Path.of(System.getProperty("basedir", "."), "docs", "asyncapi.yaml");

    private static final JsonNode TREE = read();

    private AsyncApiDocument() {}

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(FILE.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
    }

    public static JsonNode tree() {
        return TREE;
    }

    /** A schema of {@code components/schemas}, as JSON text. */
    public static String componentSchema(String name) {
        JsonNode schema = TREE.path("components").path("schemas").path(name);
        if (schema.isMissingNode()) {
            throw new IllegalArgumentException(FILE + " has no components/schemas/" + name);
        }
        return schema.toString();
    }
}
