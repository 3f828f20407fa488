package com.example.subscriptions.deploy;

import com.example.subscriptions.config.EnvironmentVariables;
import com.example.subscriptions.config.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A rendered container's environment as the service sees it: each variable's setting, the values Kubernetes would
 * give it (a Secret's value stood in for), and the {@link Settings} the service would start with.
 */
record PodEnvironment(String container, Map<String, JsonNode> entries) {

    /** Settings whose values are secrets: they may come from a Secret only. */
    private static final Pattern SECRET_SETTING =
            Pattern.compile("(?i).*(password|secret|api-key|jaas|token|credential|[.-]keys?$).*");
    /** What a Secret holds in these tests: long enough for unsubscribe.secret's 32-character minimum. */
    static final String SECRET_STAND_IN = "stand-in-for-a-secret-0123456789abcdefghij";

    static PodEnvironment of(JsonNode container) {
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (JsonNode entry : container.path("env")) {
            if (entries.put(entry.path("name").asText(), entry) != null) {
                duplicates.add(entry.path("name").asText());
            }
        }
        if (!duplicates.isEmpty()) {
            throw new AssertionError(container.path("name").asText() + " sets " + duplicates + " twice");
        }
        return new PodEnvironment(container.path("name").asText(), entries);
    }

    /** The setting each variable sets; a variable the service ignores, or would refuse, is an assertion error. */
    Map<String, String> settingsByVariable() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String name : entries.keySet()) {
            Optional<String> setting;
            try {
                setting = EnvironmentVariables.settingOf(name);
            } catch (RuntimeException e) {
                throw new AssertionError(container + ": the service refuses to start with " + name + ": " + e);
            }
            settings.put(
                    name,
                    setting.orElseThrow(() -> new AssertionError(container + " sets " + name
                            + ", which the service does not read (a misspelt setting does nothing)")));
        }
        return settings;
    }

    /** Variables whose setting is a secret and whose value is written out instead of taken from a Secret. */
    List<String> plaintextSecrets() {
        List<String> plain = new ArrayList<>();
        settingsByVariable().forEach((name, setting) -> {
            JsonNode entry = entries.get(name);
            if (SECRET_SETTING.matcher(setting).matches()
                    && !entry.at("/valueFrom/secretKeyRef").isObject()) {
                plain.add(name);
            }
        });
        return plain;
    }

    /** The values as Kubernetes resolves them: a Secret's key stands in as {@link #SECRET_STAND_IN}. */
    Map<String, String> resolved() {
        Map<String, String> values = new LinkedHashMap<>();
        entries.forEach((name, entry) -> {
            if (entry.has("value")) {
                values.put(name, entry.get("value").asText());
            } else if (entry.at("/valueFrom/secretKeyRef").isObject()) {
                values.put(name, SECRET_STAND_IN);
            } else if ("metadata.name"
                    .equals(entry.at("/valueFrom/fieldRef/fieldPath").asText())) {
                values.put(name, container + "-0");
            } else {
                throw new AssertionError(container + ": no stand-in for " + entry);
            }
        });
        return values;
    }

    /** The settings the service starts with in this container (config/application.properties, then this env). */
    Settings settings() {
        return Settings.load(Optional.empty(), resolved(), new Properties(), Map.of());
    }

    JsonNode entry(String name) {
        return entries.get(name);
    }
}
