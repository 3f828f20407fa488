package com.example.subscriptions.contract;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates JSON against the published schemas, loaded from the classpath by their {@code $id} as a user of the jar
 * would load them. Formats ({@code date-time}) are asserted, not just annotated, and messages are in English.
 */
public final class ContractSchemas {

    private static final SchemaRegistryConfig CONFIG = SchemaRegistryConfig.builder()
            .formatAssertionsEnabled(true)
            .locale(Locale.ENGLISH)
            .build();

    /** Draft 2020-12 unless a schema names another dialect; the contract's ids resolve to the classpath. */
    public static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(CONFIG)
                    .schemaIdResolvers(
                            resolvers -> resolvers.mapPrefix(Payload.ID_BASE, "classpath:" + Payload.RESOURCE_FOLDER)));

    private static final Map<Payload, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private ContractSchemas() {}

    public static Schema schema(Payload payload) {
        return SCHEMAS.computeIfAbsent(payload, p -> REGISTRY.getSchema(SchemaLocation.of(p.id())));
    }

    /** What is wrong with {@code json} as a {@code payload}, one line per violation; empty when it conforms. */
    public static List<String> violations(Payload payload, String json) {
        return describe(schema(payload).validate(json, InputFormat.JSON));
    }

    /** Violations of a schema given as JSON text (such as one taken from the AsyncAPI document). */
    public static List<String> violations(String schemaJson, String json) {
        return describe(REGISTRY.getSchema(schemaJson, InputFormat.JSON).validate(json, InputFormat.JSON));
    }

    private static List<String> describe(List<Error> errors) {
        return errors.stream().map(Error::toString).toList();
    }
}
