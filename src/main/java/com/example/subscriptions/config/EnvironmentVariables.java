package com.example.subscriptions.config;

import java.util.Optional;

/**
 * Which environment variables the service reads, by the same rule as its start: for tools that set the environment
 * for it (the Helm chart's test checks every variable the chart renders against this).
 */
public final class EnvironmentVariables {

    private EnvironmentVariables() {}

    /**
     * The setting {@code name} sets ({@code TEMPORAL_TASK_QUEUE} sets {@code temporal.task-queue},
     * {@code KAFKA_SECURITY_PROTOCOL} the Kafka client's {@code security.protocol}), or empty when the service does
     * not read it at all.
     *
     * @throws ConfigException for a {@code KAFKA_} or {@code MAIL_SMTP_} variable that names no client or mail
     *     setting: the service refuses to start with it
     */
    public static Optional<String> settingOf(String name) {
        return ConfigSources.settingOfEnvironmentVariable(Settings.DEFAULTS, name);
    }

    /** The variable that sets {@code key}: {@code temporal.api-key} is {@code TEMPORAL_API_KEY}. */
    public static String nameOf(String key) {
        return ConfigSources.envName(key);
    }
}
