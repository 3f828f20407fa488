package com.example.subscriptions.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Merges the layers of configuration, each overriding the one before: built-in defaults, the properties file,
 * Temporal's profile file, environment variables (Temporal's standard names over our aliases), system properties. Every key must be known; {@code kafka.*} keys pass through to the clients,
 * {@code mail.smtp.*} keys to the Jakarta Mail session.
 */
final class ConfigSources {

    static final String KAFKA_PREFIX = "kafka.";

    /** Variables that Kafka's own scripts and images set for the JVM, not for a client. */
    private static final Set<String> KAFKA_ENV_NOT_CLIENT_SETTINGS = Set.of(
            "KAFKA_OPTS",
            "KAFKA_HEAP_OPTS",
            "KAFKA_HOME",
            "KAFKA_LOG4J_OPTS",
            "KAFKA_JVM_PERFORMANCE_OPTS",
            "KAFKA_JMX_OPTS",
            "KAFKA_DEBUG",
            "KAFKA_GC_LOG_OPTS",
            "KAFKA_VERSION");

    /** System properties that Jakarta Mail reads itself (MIME encoding rules), not settings of ours. */
    private static final String JAKARTA_MAIL_SYSTEM_PREFIX = "mail.mime.";

    private ConfigSources() {}

    static Map<String, String> merge(
            Map<String, String> defaults, Path file, Map<String, String> env, Properties system) {
        Map<String, String> merged = new LinkedHashMap<>(defaults);
        if (file != null) {
            merged.putAll(checked(defaults, readFile(file), "file " + file));
        }
        // Temporal's profile file sits below every environment variable; its standard names win over our aliases.
        merged.putAll(TemporalStandardConfig.profile(env));
        env.forEach(
                (name, value) -> settingOfEnvironmentVariable(defaults, name).ifPresent(key -> merged.put(key, value)));
        merged.putAll(TemporalStandardConfig.environment(env));
        for (String name : system.stringPropertyNames()) {
            if (isOurs(defaults, name)) {
                merged.put(checkKnown(defaults, name, "system property"), system.getProperty(name));
            }
        }
        return merged;
    }

    static Map<String, String> checked(Map<String, String> defaults, Map<String, String> values, String source) {
        values.keySet().forEach(key -> checkKnown(defaults, key, source));
        return values;
    }

    /**
     * The setting an environment variable sets, empty for a variable that is not ours; a {@code KAFKA_} or
     * {@code MAIL_SMTP_} variable that names no client setting fails, naming the variable.
     */
    static java.util.Optional<String> settingOfEnvironmentVariable(Map<String, String> defaults, String name) {
        return envKey(defaults, name).map(key -> checkKnown(defaults, key, "environment variable " + name));
    }

    /** The environment variable that sets a key: {@code temporal.api-key} is {@code TEMPORAL_API_KEY}. */
    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static java.util.Optional<String> envKey(Map<String, String> defaults, String name) {
        for (String key : defaults.keySet()) {
            if (envName(key).equals(name)) {
                return java.util.Optional.of(key);
            }
        }
        if (TemporalStandardConfig.STANDARD_ENV.containsKey(name)) {
            return java.util.Optional.of(TemporalStandardConfig.STANDARD_ENV.get(name));
        }
        if (name.startsWith("KAFKA_") && !KAFKA_ENV_NOT_CLIENT_SETTINGS.contains(name)) {
            return java.util.Optional.of(KAFKA_PREFIX
                    + name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'));
        }
        return MailSmtpProperties.fromEnvironment(name);
    }

    private static boolean isOurs(Map<String, String> defaults, String name) {
        if (name.startsWith(JAKARTA_MAIL_SYSTEM_PREFIX)) {
            return false;
        }
        String namespace = name.contains(".") ? name.substring(0, name.indexOf('.') + 1) : name;
        return name.startsWith(KAFKA_PREFIX)
                || defaults.keySet().stream().anyMatch(key -> key.equals(name) || key.startsWith(namespace));
    }

    private static String checkKnown(Map<String, String> defaults, String key, String source) {
        if (defaults.containsKey(key)) {
            return key;
        }
        if (key.startsWith(KAFKA_PREFIX)) {
            String clientKey = key.substring(KAFKA_PREFIX.length());
            if (KafkaClientSettings.isKnownClientSetting(clientKey)) {
                return key;
            }
            throw new ConfigException("Unknown Kafka client setting '" + key + "' (from " + source + "): '" + clientKey
                    + "' is not a consumer, producer or admin client configuration");
        }
        if (key.startsWith(MailSmtpProperties.PREFIX)) {
            return MailSmtpProperties.checkKnown(key, source);
        }
        throw new ConfigException("Unknown setting '" + key + "' (from " + source + ")");
    }

    private static Map<String, String> readFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("Cannot read configuration file " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties
                .stringPropertyNames()
                .forEach(key -> values.put(key, properties.getProperty(key).trim()));
        return values;
    }
}
