package com.example.subscriptions.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every setting of the service, typed. {@link #DEFAULTS} is the one list of keys and defaults;
 * {@code config/application.properties} documents each of them. Each section's record reads its own keys
 * ({@code MailSettings.read}); this class layers the sources and assembles the sections.
 */
public record Settings(
        Set<Role> roles,
        TemporalSettings temporal,
        KafkaClientSettings kafka,
        Topics topics,
        CommandSettings commands,
        DetailsSettings details,
        MailSettings mail,
        UnsubscribeSettings unsubscribe,
        PrivacySettings privacy,
        CodecServerSettings codecServer,
        WebhookSettings webhooks,
        BouncesSettings bounces,
        int serverPort,
        Optional<String> serverBindAddress,
        boolean showEmails,
        boolean tracing,
        Duration shutdownTimeout) {

    public enum Role {
        WORKER,
        COMMANDS,
        RESPONDER,
        UNSUBSCRIBE,
        BOUNCES
    }

    public static final Path DEFAULT_FILE = Path.of("config", "application.properties");

    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("roles", "worker,commands,responder,unsubscribe,bounces");
        d.put("temporal.address", "localhost:7233");
        d.put("temporal.namespace", "default");
        d.put("temporal.task-queue", "email_subscription");
        d.put("temporal.workflow-type", "SendEmailWorkflow");
        d.put("temporal.api-key", "");
        d.put("temporal.tls.enabled", "false");
        d.put("temporal.tls.cert-file", "");
        d.put("temporal.tls.key-file", "");
        d.put("temporal.tls.ca-file", "");
        d.put("temporal.tls.server-name", "");
        d.put("subscription.interval", "PT12S");
        d.put("subscription.emails-per-run", "500");
        d.put("subscription.double-opt-in", "false");
        d.put("subscription.confirm-within", "P2D");
        d.put("subscription.confirm-resend-after", "PT1H");
        d.put("kafka.bootstrap.servers", "localhost:9092");
        d.put("topics.commands", "subscription-commands");
        d.put("topics.events", "subscription-events");
        d.put("topics.commands-dlt", "subscription-commands-dlt");
        d.put("topics.details-requests", "subscription-details-requests");
        d.put("topics.details-replies", "subscription-details-replies");
        d.put("topics.details-requests-dlt", "subscription-details-requests-dlt");
        d.put("topics.suppressions", "subscription-suppressions");
        d.put("topics.create", "true");
        d.put("topics.partitions", "6");
        d.put("topics.replication-factor", "1");
        d.put("commands.group-id", "subscription-commands");
        d.put("commands.max-in-flight", "64");
        d.put("commands.max-record-bytes", "16384");
        d.put("details.group-id", "subscription-details");
        d.put("details.max-in-flight", "64");
        d.put("details.query-timeout", "PT5S");
        d.put("mail.sender", "log");
        d.put("mail.host", "");
        d.put("mail.port", "587");
        d.put("mail.tls", "starttls-required");
        d.put("mail.username", "");
        d.put("mail.password", "");
        d.put("mail.from", "");
        d.put("mail.reply-to", "");
        d.put("mail.connect-timeout", "PT5S");
        d.put("mail.read-timeout", "PT5S");
        d.put("mail.templates-dir", "config/mail");
        d.put("mail.max-per-second", "");
        d.put("mail.max-per-second-per-worker", "");
        d.put("unsubscribe.base-url", "");
        d.put("unsubscribe.port", "8081");
        d.put("unsubscribe.secret", "");
        d.put("unsubscribe.bind-address", "");
        d.put("unsubscribe.trusted-proxies", "");
        d.put("unsubscribe.rate-limit", "120");
        d.put("unsubscribe.click-window", "PT30S");
        d.put("unsubscribe.header-timeout", "PT10S");
        d.put("unsubscribe.body-timeout", "PT10S");
        d.put("unsubscribe.idle-timeout", "PT30S");
        d.put("unsubscribe.max-connections", "512");
        d.put("privacy.enabled", "false");
        d.put("privacy.keys", "");
        d.put("privacy.keys-file", "");
        d.put("privacy.id-key", "");
        d.put("codec-server.port", "");
        d.put("codec-server.bind-address", "");
        d.put("codec-server.token", "");
        d.put("codec-server.cors-origin", "");
        d.put("webhooks.ses.topic-arns", "");
        d.put("webhooks.secrets", "");
        d.put("webhooks.tolerance", "PT5M");
        d.put("webhooks.rate-limit", "600");
        d.put("bounces.imap.host", "");
        d.put("bounces.imap.port", "993");
        d.put("bounces.imap.tls", "implicit");
        d.put("bounces.imap.username", "");
        d.put("bounces.imap.password", "");
        d.put("bounces.imap.folder", "INBOX");
        d.put("bounces.imap.handled", "move");
        d.put("bounces.imap.processed-folder", "processed");
        d.put("bounces.imap.unparsed-folder", "unparsed");
        d.put("bounces.imap.poll-interval", "PT1M");
        d.put("bounces.imap.timeout", "PT30S");
        d.put("bounces.imap.require-our-message", "false");
        d.put("server.port", "8080");
        d.put("server.bind-address", "");
        d.put("log.show-emails", "false");
        d.put("tracing.enabled", "false");
        d.put("shutdown.timeout", "PT30S");
        return Collections.unmodifiableMap(d);
    }

    /** Reads the file (if present), then the process environment, then system properties. */
    public static Settings load(Optional<Path> file) {
        return load(file, System.getenv(), System.getProperties(), Map.of());
    }

    /**
     * The layers given explicitly: defaults, then {@code file} ({@code config/application.properties} if empty and
     * present), then {@code env}, then {@code system}, then {@code overrides} (what a launcher such as the dev stack
     * must decide itself).
     */
    public static Settings load(
            Optional<Path> file, Map<String, String> env, Properties system, Map<String, String> overrides) {
        Path path = file.orElse(Files.exists(DEFAULT_FILE) ? DEFAULT_FILE : null);
        if (file.isPresent() && !Files.exists(file.get())) {
            throw new ConfigException("Configuration file not found: " + file.get());
        }
        Map<String, String> values = ConfigSources.merge(DEFAULTS, path, env, system);
        values.putAll(ConfigSources.checked(DEFAULTS, overrides, "overrides"));
        return from(values);
    }

    /** Settings from defaults overridden by {@code overrides} alone, as tests and the dev stack build them. */
    public static Settings of(Map<String, String> overrides) {
        Map<String, String> values = ConfigSources.merge(DEFAULTS, null, Map.of(), new Properties());
        values.putAll(ConfigSources.checked(DEFAULTS, overrides, "overrides"));
        return from(values);
    }

    static Settings from(Map<String, String> values) {
        Values v = new Values(values);
        MailSettings mail = MailSettings.read(v);
        PrivacySettings privacy = PrivacySettings.read(v);
        return new Settings(
                roles(v.text("roles")),
                TemporalSettings.read(v),
                KafkaClientSettings.read(v),
                Topics.read(v),
                CommandSettings.read(v),
                DetailsSettings.read(v),
                mail,
                UnsubscribeSettings.read(v, mail.sender()),
                privacy,
                CodecServerSettings.read(v, privacy),
                WebhookSettings.read(v),
                BouncesSettings.read(v),
                v.port("server.port"),
                v.optional("server.bind-address"),
                v.bool("log.show-emails"),
                v.bool("tracing.enabled"),
                v.positiveDuration("shutdown.timeout"));
    }

    private static Set<Role> roles(String names) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names.split(",")) {
            String trimmed = name.trim();
            if (trimmed.equalsIgnoreCase("all")) {
                roles.addAll(EnumSet.allOf(Role.class));
                continue;
            }
            try {
                roles.add(Role.valueOf(trimmed.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("Setting 'roles' has unknown role '" + trimmed + "'; roles are "
                        + Arrays.stream(Role.values())
                                .map(r -> r.name().toLowerCase(Locale.ROOT))
                                .collect(Collectors.joining(", "))
                        + " or all");
            }
        }
        return roles;
    }
}
